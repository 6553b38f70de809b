// Save to Samsung Pay on the demo's pay page: the whole integration is one call to the shim,
// window.spay.saveToPayUI.showWelcomeModalPromise({ welcomeUrl }), and printing what it resolves with.
;(function () {
  'use strict'
  var holder = document.getElementById('pay-button')
  var result = document.getElementById('pay-result')
  var json = document.getElementById('pay-response')
  var events = document.getElementById('pay-events')
  var inWallet = document.getElementById('pay-wallet')
  if (!holder || !result) return
  var button = holder.querySelector('a')
  var welcomeUrl = holder.getAttribute('data-welcome-url')

  var TEXT = {
    SUCCESS: 'Your card was added to Samsung Pay.',
    FAILURE: 'The card was not added.',
    DEVICE_NOT_SUPPORTED: 'This device does not support Samsung Pay cards.',
    DEFAULT_PENDING: 'The window was closed before the card was added.'
  }

  function describe (r) {
    var text = TEXT[r.status] || r.status
    if (r.details && r.details.errorCode) text += ' (' + r.details.errorCode + ')'
    return text
  }

  // The promise says what the user saw; the server says what happened (Samsung's WA_PROVISIONED
  // notification). Show the card as added only once the server knows, asking for a few seconds.
  function showRegisteredCard (triesLeft) {
    if (!inWallet) return
    fetch(inWallet.getAttribute('data-status-url'), { cache: 'no-store', credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : null })
      .then(function (s) {
        if (s && s.state === 'added') {
          document.getElementById('pay-wallet-text').textContent = s.text
          inWallet.hidden = false
          var offer = document.getElementById('pay-offer')
          if (!offer) return
          // added: no button that offers to add it again; focus that was on it moves to the news
          var focusWasThere = offer.contains(document.activeElement) || document.activeElement === document.body
          offer.hidden = true
          if (focusWasThere) inWallet.focus()
        } else if (triesLeft > 0) {
          setTimeout(function () { showRegisteredCard(triesLeft - 1) }, 500)
        }
      })
      .catch(function () { if (triesLeft > 0) setTimeout(function () { showRegisteredCard(triesLeft - 1) }, 500) })
  }

  window.addEventListener('spay:s2p-status', function (e) {
    var li = document.createElement('li')
    var d = e.detail
    li.textContent = d.status + (d.details ? ' ' + d.details.errorCode : '') + (d.final ? ' (final)' : '')
    events.appendChild(li)
  })

  button.addEventListener('click', function (e) {
    // Without the shim (scripts off, or it failed to load) the link opens the welcome page itself.
    if (!window.spay || !window.spay.saveToPayUI) return
    e.preventDefault()
    result.textContent = 'The Save to Samsung Pay window is open.'
    result.removeAttribute('data-status')
    window.spay.saveToPayUI.showWelcomeModalPromise({ welcomeUrl: welcomeUrl }).then(function (r) {
      result.textContent = describe(r)
      result.setAttribute('data-status', r.status)
      json.textContent = JSON.stringify(r)
      if (r.status === 'SUCCESS') showRegisteredCard(20)
    })
  })
})()
