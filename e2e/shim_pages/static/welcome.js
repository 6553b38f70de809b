// The fake welcome page (origin of welcomeUrl). It speaks protocol v1 (docs/welcome-protocol.md)
// the way a real welcome page should: it learns the partner's origin from s2p:hello and posts
// to that origin only; before the hello it may post s2p:ready to '*' (it carries no data).
// ?ready=early (default): ready when the script starts and in reply to every hello, as the
// protocol asks (a message posted while a new frame is being set up can be lost);
// ?ready=late: only in reply to the first hello; ?ready=never: a page that never answers.
;(function () {
  'use strict'
  var q = new URLSearchParams(location.search)
  var ready = q.get('ready') || 'early'
  var parentOrigin = null
  window.hellos = []
  function post (msg) {
    window.parent.postMessage(msg, parentOrigin || '*')
  }
  // Tests call this through frame.evaluate for arbitrary, also malformed, messages.
  window.send = post
  window.addEventListener('message', function (e) {
    if (e.source !== window.parent || !e.data || e.data.type !== 's2p:hello') return
    parentOrigin = e.origin
    window.hellos.push({ origin: e.origin, data: e.data })
    document.getElementById('device').textContent = e.data.device
    if (ready === 'early' || (ready === 'late' && window.hellos.length === 1)) {
      post({ type: 's2p:ready', v: 1 })
    }
  })
  if (ready === 'early') post({ type: 's2p:ready', v: 1 })
  function status (s, final, details, redirectUrl) {
    var msg = { type: 's2p:status', v: 1, status: s, final: final }
    if (details) msg.details = details
    if (redirectUrl) msg.redirectUrl = redirectUrl
    post(msg)
  }
  document.addEventListener('click', function (e) {
    var id = e.target && e.target.id
    if (id === 'added') status('SUCCESS', true, null, q.get('cb'))
    if (id === 'unsupported') status('DEVICE_NOT_SUPPORTED', true)
    if (id === 'cancel') status('FAILURE', true, { errorCode: 'CANCELED', message: 'user canceled' })
    if (id === 'close') post({ type: 's2p:close', v: 1 })
  })
  // Escape inside this cross-origin frame never reaches the partner page: ask it to close.
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') post({ type: 's2p:close', v: 1 })
  })
})()
