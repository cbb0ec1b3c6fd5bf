/** What a person starting the gateway needs to see: where everything is, and the first credential once. */
export function startBanner(
  urls: Record<'api' | 'docs' | 'console' | 'health' | 'metrics', string>,
  database: string,
  credential: { user: string; password: string } | undefined,
  terminal: boolean,
): string {
  const lines = terminal
    ? [
        `  Gateway ready (${database})`,
        `    API      ${urls.api}`,
        `    Docs     ${urls.docs}`,
        `    Console  ${urls.console}`,
        `    Health   ${urls.health}`,
        `    Metrics  ${urls.metrics}`,
      ]
    : [];
  if (credential) {
    lines.push(
      '  First start: a local administrator was created. It is shown only now.',
      `    user:     ${credential.user}`,
      `    password: ${credential.password}`,
      `    Try:      curl -u ${credential.user}:${credential.password} ${urls.api}/auth/me`,
    );
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n\n` : '';
}
