// Placeholder entry point: being written now (walking skeleton in progress).
export const handler = async (): Promise<never> => {
  throw new Error('handler under construction');
};
