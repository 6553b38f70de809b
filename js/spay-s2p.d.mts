// Types for spay-s2p.mjs: the same declarations as spay-s2p.d.ts.
export * from './spay-s2p.js'
export { default } from './spay-s2p.js'
