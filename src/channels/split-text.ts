/**
 * Cuts `text` into parts that each measure at most `limit`, at line ends when possible and never
 * inside a character. `measure` is how the channel counts (Telegram: the HTML-escaped length;
 * WhatsApp: UTF-16 units, which is never less than its character count). Shared by the renderers.
 */
export function splitText(
  text: string,
  limit: number,
  measure: (part: string) => number = (part) => part.length,
): string[] {
  const parts: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') parts.push(current);
    current = '';
  };
  for (const line of text.split('\n')) {
    const candidate = current === '' ? line : `${current}\n${line}`;
    if (measure(candidate) <= limit) {
      current = candidate;
      continue;
    }
    flush();
    for (const char of line) {
      if (measure(current + char) > limit) flush();
      current += char;
    }
  }
  flush();
  return parts.length ? parts : [''];
}
