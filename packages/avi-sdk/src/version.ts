// Avi API versions are dotted numbers (`22.1.2`, `30.2.1`); the client sends min(controller, what we support).

/** Highest API version this SDK's models describe (the swagger files are 30.2.1; AKO caps at the same). */
export const MAX_API_VERSION = '30.2.1';

const parts = (v: string): number[] => v.split('.').map((p) => Number.parseInt(p, 10) || 0);

export function compareVersions(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

export const isVersion = (v: unknown): v is string => typeof v === 'string' && /^\d+(\.\d+)*$/.test(v.trim());

/** The version to send: the controller's, capped at `max`. */
export function capVersion(controllerVersion: string, max: string = MAX_API_VERSION): string {
  return compareVersions(controllerVersion, max) > 0 ? max : controllerVersion;
}
