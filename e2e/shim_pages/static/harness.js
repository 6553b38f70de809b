// Test harness on the partner page. Loaded before the shim, as a file (the strict-CSP page
// allows no inline script). It records what the page can observe and opens the modal the way
// a partner page would, from a button click.
;(function () {
  'use strict'
  var q = new URLSearchParams(location.search)
  var h = (window.harness = { results: [], events: [], messages: [], violations: [], errors: [] })
  function modalOpen () {
    return !!document.querySelector('.spay-s2p')
  }
  if (q.get('preset') === '1') window.spay = { existing: 'kept' }
  document.addEventListener('securitypolicyviolation', function (e) {
    h.violations.push(e.violatedDirective + ' ' + e.blockedURI)
  })
  window.addEventListener('error', function (e) {
    h.errors.push(String(e.message))
  })
  // Every message the page receives, so a test can tell the shim has seen it too.
  window.addEventListener('message', function (e) {
    h.messages.push({ origin: e.origin, data: e.data })
  })
  ;['show', 'status', 'close'].forEach(function (name) {
    window.addEventListener('spay:s2p-' + name, function (e) {
      h.events.push({ type: name, detail: e.detail, open: modalOpen() })
    })
  })
  function api () {
    return window.moduleExports || window.spay.saveToPayUI
  }
  // Builds the request from the query string, then the overrides; returns the object passed.
  h.request = function (overrides) {
    var r = {}
    ;['welcomeUrl', 'timeout', 'device', 'fallback'].forEach(function (k) {
      if (q.has(k)) r[k] = k === 'timeout' ? Number(q.get(k)) : q.get(k)
    })
    return Object.assign(r, overrides || {})
  }
  h.open = function (overrides, mode) {
    var r = h.request(overrides)
    if ((mode || q.get('mode')) === 'redirect') {
      api().showWelcomeModal(r)
    } else {
      api().showWelcomeModalPromise(r).then(function (res) {
        h.results.push({ response: res, open: modalOpen() })
      })
    }
    return r
  }
  document.addEventListener('click', function (e) {
    if (e.target && e.target.id === 'open') h.open()
  })
})()
