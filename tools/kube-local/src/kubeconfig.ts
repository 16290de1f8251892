import { stringify } from 'yaml';

export interface KubeconfigUser {
  name: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A kubeconfig (YAML) with one cluster, one user and one current context. */
export function renderKubeconfig(clusterName: string, server: string, caPem: string, user: KubeconfigUser): string {
  const credentials: Record<string, string> = {};
  if (user.token) credentials.token = user.token;
  if (user.clientCertPem) credentials['client-certificate-data'] = b64(user.clientCertPem);
  if (user.clientKeyPem) credentials['client-key-data'] = b64(user.clientKeyPem);
  const context = `${user.name}@${clusterName}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: clusterName, cluster: { server, 'certificate-authority-data': b64(caPem) } }],
    users: [{ name: user.name, user: credentials }],
    contexts: [{ name: context, context: { cluster: clusterName, user: user.name } }],
    'current-context': context,
  });
}
