/** The requirement ids a test title starts with: `SPT-GT-001 SPT-GT-002 retrieve returns ...`. */
export function idsInTitle(title: string): string[] {
  const ids: string[] = [];
  for (const word of title.split(/\s+/)) {
    if (/^SPT-[A-Z]+-\d{3}$/.test(word)) ids.push(word);
    else break;
  }
  return ids;
}
