// Types for samsung-wallet-button.mjs: the same declarations as samsung-wallet-button.d.ts.
export * from './samsung-wallet-button.js'
export { default } from './samsung-wallet-button.js'
