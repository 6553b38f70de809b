// ES module entry for the Save to Pay shim: the same API object as the classic script.
// It evaluates spay-s2p.js (one source), which attaches window.spay.saveToPayUI, and re-exports
// it, so loading this module and the classic script on one page yields one shared object.
import './spay-s2p.js'

const saveToPayUI = globalThis.spay.saveToPayUI

export const { showWelcomeModal, showWelcomeModalPromise, closeWelcomeModal } = saveToPayUI
export { saveToPayUI }
export default saveToPayUI
