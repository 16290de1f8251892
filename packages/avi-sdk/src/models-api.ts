// The generated models as values (zod schemas, OBJECT_SCHEMAS, metadata) and the helpers built on them:
// `@avi-k8s/avi-sdk/models`. Kept out of the main entry, whose client loads the schemas only when it checks a body
// or an answer: importing them costs ~10 MiB of V8 heap and ~15-30 MiB RSS, which an operator whose hot path
// checks nothing should not carry. The main entry still exports every model type.
export * from './models/index.js';
export * from './model-walk.js';
export { toInput } from './to-input.js';
