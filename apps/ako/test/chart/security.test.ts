// The chart's pod runs locked down by default (non-root, read-only root filesystem, no privilege escalation, no
// capabilities, RuntimeDefault seccomp: the Kubernetes "restricted" Pod Security Standard), and its RBAC follows
// the mode: pods are listed and watched only in NodePortLocal mode (Antrea's annotation gives the pool servers).
// Hand-written expectations; the real-apiserver checks are rbac.test.ts and ako-with-chart.test.ts.
import type * as k8s from '@kubernetes/client-node';
import { find, render } from './chart.js';

const RESTRICTED_CONTAINER = {
  runAsNonRoot: true,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

test('the default install runs AKO non-root, read-only, without privilege escalation or capabilities, RuntimeDefault seccomp', async () => {
  const pod = find<k8s.V1StatefulSet>(await render({ namespace: 'avi-system' }), 'StatefulSet', 'ako').spec!.template.spec!;
  expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
  expect(pod.containers).toHaveLength(1);
  expect(pod.containers[0]!.securityContext).toEqual(RESTRICTED_CONTAINER);
});

test('securityContext and podSecurityContext can still be changed (or removed with null)', async () => {
  const docs = await render({ values: { securityContext: null, podSecurityContext: { runAsUser: 1000 } } });
  const pod = find<k8s.V1StatefulSet>(docs, 'StatefulSet', 'ako').spec!.template.spec!;
  expect(pod.containers[0]!.securityContext).toBeUndefined();
  expect(pod.securityContext?.runAsUser).toBe(1000);
});

const podRules = (cr: k8s.V1ClusterRole) => (cr.rules ?? []).filter((r) => r.resources?.includes('pods'));

test('pods are listed and watched only in NodePortLocal mode', async () => {
  for (const serviceType of ['ClusterIP', 'NodePort']) {
    const cr = find<k8s.V1ClusterRole>(await render({ values: { L7Settings: { serviceType } } }), 'ClusterRole', 'ako-cr');
    expect(podRules(cr)).toEqual([]);
  }
  const npl = find<k8s.V1ClusterRole>(await render({ values: { L7Settings: { serviceType: 'NodePortLocal' } } }), 'ClusterRole', 'ako-cr');
  expect(podRules(npl)).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }]);
});

test('the Lease rule names AKO\'s own Lease for get and update', async () => {
  const role = find<k8s.V1Role>(await render({ namespace: 'avi-system' }), 'Role', 'ako-role');
  const leases = (role.rules ?? []).filter((r) => r.resources?.includes('leases'));
  expect(leases).toEqual([
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['ako-lease-lock'], verbs: ['get', 'update'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
  ]);
});
