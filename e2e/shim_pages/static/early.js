// Runs in <head>, right after the shim: a call made before <body> exists.
window.spay.saveToPayUI.showWelcomeModalPromise({ welcomeUrl: 'http://localhost/welcome' }).then(function (r) {
  window.earlyResult = r
})
