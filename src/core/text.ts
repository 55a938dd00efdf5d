/** Case-insensitive equality: ids, GUIDs and names as Exchange and Entra compare them. */
export function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
