import type * as k8s from '@kubernetes/client-node';

/** The echo image (tools/images, imported into the node's containerd; never pulled): the real node's test backends. */
export const ECHO_IMAGE = 'docker.io/avi-k8s/echo:1.0';

/** A Deployment NAME of REPLICAS echo Pods (label app=NAME, port 8080, ready when / answers): real-node backends. */
export function echoDeployment(name: string, replicas = 2): k8s.V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: 'echo',
              image: ECHO_IMAGE,
              imagePullPolicy: 'Never',
              ports: [{ containerPort: 8080 }],
              env: [
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
              ],
              readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}
