/** Absolute from the context path (Data One's convention), keeping every query parameter but the cursor. */
export function nextLink(
  contextPath: string,
  path: string,
  query: Record<string, string | undefined>,
  cursor: string,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && key !== 'cursor') params.append(key, value);
  }
  params.append('cursor', cursor);
  return `${contextPath}${path}?${params.toString()}`;
}
