export { bundleApp, BUNDLE_FILE, NOTICES_FILE, PACKAGES_FILE, type BundleOptions, type BundleResult } from './bundle.js';
export { bundledPackages, noticesText, packageDirOf, type BundledPackage } from './licenses.js';
