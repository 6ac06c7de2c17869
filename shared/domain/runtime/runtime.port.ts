/** Time and identity sources, injected so that services are deterministic under test. */
export interface Clock {
  now(): Date;
}

export interface IdSource {
  /** Lexicographically sortable unique id (ULID). */
  next(): string;
}
