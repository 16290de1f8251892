// Modules an app never loads although its code names them in a dynamic import(): the Avi SDK loads its generated
// models (~600 KB of source) the first time a client validates a body, and the operators' clients validate nothing
// (`validate: false`). Bundled, that import would put the models' source in every process's memory all the same
// (V8 keeps the whole bundle's source). An omitted module is left out: its import() rejects with an error naming it
// and the app's build, and a static import of it fails the build (the module would be needed at start).
import { basename, relative, resolve } from 'node:path';
import type { Plugin } from 'esbuild';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const RESOLVING = Symbol('omit');

/** An esbuild plugin leaving out the modules at PATHS (relative to CWD, as built files, e.g. ../../packages/x/dist/y.js). */
export function omitModules(paths: string[], cwd: string): Plugin {
  const omitted = new Set(paths.map((p) => resolve(cwd, p)));
  return {
    name: 'omit',
    setup(build) {
      if (omitted.size === 0) return;
      const filter = new RegExp(`(^|/)(${[...omitted].map((p) => escape(basename(p))).join('|')})$`);
      build.onResolve({ filter }, async (args) => {
        if (args.pluginData === RESOLVING) return undefined;
        const r = await build.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
        if (!omitted.has(r.path)) return undefined;
        if (args.kind !== 'dynamic-import') return { errors: [{ text: `${r.path} is omitted from the bundle but ${args.importer} imports it statically` }] };
        return { path: relative(cwd, r.path).split('\\').join('/'), namespace: 'omitted' };
      });
      build.onLoad({ filter: /.*/, namespace: 'omitted' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path} is not in this bundle: the app's build omits it (tools/bundle --omit)`)});\n`,
        loader: 'js',
      }));
    },
  };
}
