export { buildImages, type BuiltImage } from './build.js';
export { APPS, IMAGES, REPOSITORY_PREFIX, IMAGE_USER, type AppName } from './images.js';
export { NONROOT, baseLayer } from './base.js';
export { appFiles } from './app-files.js';
export { imageArchive, layerOf, MEDIA } from './oci.js';
export { tarArchive, withParentsSorted, type TarEntry } from './tar.js';
export { buildGoImage, goBinary, GO_IMAGES, type GoImageName } from './go-images.js';
