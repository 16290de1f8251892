/** An error kube-local reports to the user as is (message + exit code), without a stack trace. */
export class KubeLocalError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'KubeLocalError';
  }
}
