/**
 * Passes run one at a time: a kick while one runs asks for one more after it (the kicks in between share it), and
 * nothing starts while `active()` is false. For the stages that go over the whole Store (static routes, NPL
 * annotations) on any change.
 */
export function serialPasses(pass: () => Promise<void>, active: () => boolean) {
  let running: Promise<void> | undefined;
  let again = false;
  const kick = (): void => {
    if (!active()) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again && active());
      running = undefined;
    })();
  };
  return {
    kick,
    /** The pass running now, if any. */
    running: (): Promise<void> | undefined => running,
    async idle(): Promise<void> {
      while (running) await running;
    },
  };
}
