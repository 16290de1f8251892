// Secret avi-secret (keys username, password or authtoken, certificateAuthorityData) -> controller credentials.

export interface AviCredentials {
  username: string;
  password?: string;
  authToken?: string;
  /** PEM of the controller's CA; TLS is verified against it (or the system CAs when absent). */
  caPem?: string;
}

const decode = (v: string | undefined) => (v ? Buffer.from(v, 'base64').toString('utf8').trim() : '');

/** Reads the Secret's data (base64, as the API returns it); throws naming what is missing. Never logs values. */
export function credentialsFromSecret(secretKey: string, data: Record<string, string> | undefined): AviCredentials {
  const username = decode(data?.username);
  const password = decode(data?.password);
  const authToken = decode(data?.authtoken);
  const caPem = decode(data?.certificateAuthorityData);
  const problems: string[] = [];
  if (!username) problems.push(`key 'username' is missing or empty`);
  if (!password && !authToken) problems.push(`one of the keys 'password' or 'authtoken' is required`);
  if (caPem && !caPem.includes('-----BEGIN CERTIFICATE-----')) problems.push(`key 'certificateAuthorityData' is not a PEM certificate`);
  if (problems.length) throw new Error(`Secret ${secretKey}: ${problems.join('; ')}`);
  return { username, ...(password ? { password } : { authToken }), ...(caPem ? { caPem } : {}) };
}
