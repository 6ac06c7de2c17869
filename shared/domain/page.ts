export interface Page<T> {
  items: T[];
  nextCursor?: string;
}
export interface ListOptions {
  limit: number;
  cursor?: string | undefined;
}
