/** JSON output as YAML (`-o yaml`): the same document, loaded with the yaml package only when asked for. */
export async function jsonToYaml(json: string): Promise<string> {
  const { stringify } = await import('yaml');
  return stringify(JSON.parse(json), { lineWidth: 0 });
}
