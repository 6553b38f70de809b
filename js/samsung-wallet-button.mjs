// ES module entry for <samsung-wallet-button>: the same element as the classic script.
// It evaluates samsung-wallet-button.js (one source), which defines the element, and re-exports
// its class, so the module and the classic script on one page define it once.
import './samsung-wallet-button.js'

const SamsungWalletButton = globalThis.SamsungWalletButton

export const { chain, decide, locale } = SamsungWalletButton
export { SamsungWalletButton }
export default SamsungWalletButton
