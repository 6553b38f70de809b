// The ES module flavour: what a partner's bundle-free module code does.
import saveToPayUI, {
  closeWelcomeModal,
  saveToPayUI as named,
  showWelcomeModal,
  showWelcomeModalPromise
} from '/js/spay-s2p.mjs'

window.moduleExports = { showWelcomeModal, showWelcomeModalPromise, closeWelcomeModal }
window.moduleDefault = saveToPayUI
window.moduleNamed = named
