// Save to Samsung Pay on the demo's pay page: the whole integration is one call to the shim,
// window.spay.saveToPayUI.showWelcomeModalPromise({ welcomeUrl }), and printing what it resolves with.
;(function () {
  'use strict'
  var holder = document.getElementById('pay-button')
  var result = document.getElementById('pay-result')
  var json = document.getElementById('pay-response')
  var events = document.getElementById('pay-events')
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
    })
  })
})()
