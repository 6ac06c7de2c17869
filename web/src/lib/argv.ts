/**
 * Splits a command line the way a POSIX shell splits words (single and double quotes, backslash escapes),
 * without expanding anything: `sh -c 'echo hi'` → ["sh", "-c", "echo hi"]. The job runs the list as given.
 */
export function splitCommand(line: string): { words: string[]; error?: string } {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
      continue;
    }
    if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && index + 1 < line.length && '"\\$`'.includes(line[index + 1] as string)) current += line[++index];
      else current += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < line.length) {
      current += line[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote) return { words, error: `Unclosed ${quote === "'" ? 'single' : 'double'} quote` };
  if (inWord) words.push(current);
  return { words };
}

/** The reverse, for display: words with spaces or quotes are single-quoted so the line reads as it runs. */
export function joinCommand(words: readonly string[]): string {
  return words.map((word) => (word === '' || /[\s'"\\$`]/.test(word) ? `'${word.replace(/'/g, `'\\''`)}'` : word)).join(' ');
}
