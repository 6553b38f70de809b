/*
 * linkkit sandbox: the Save to Pay welcome page's side of the welcome UI ⇄ page protocol, v1
 * (docs/welcome-protocol.md). It polls its status endpoint and posts each new status to the parent page.
 *
 * The parent's origin is learnt from the first valid s2p:hello (from window.parent, and from an
 * allowed origin when the server lists them); messages go to that origin only, never to '*'.
 * Anything the page wants to say before that hello waits in a queue.
 */
;(function () {
  'use strict'
  var DEVICES = ['android', 'ios', 'tablet', 'desktop']
  var body = document.body
  var data = body.dataset
  var allowed = (data.parentOrigins || '').split(' ').filter(Boolean)
  var pollMs = parseInt(data.pollMs, 10) || 1000
  var framed = window.parent !== window
  var parentOrigin = null
  var queue = []
  var lastSeq = -1
  var statusEl = document.getElementById('status')

  function send (msg) {
    if (!framed) return
    if (parentOrigin) window.parent.postMessage(msg, parentOrigin)
    else queue.push(msg)
  }

  // An Android phone opens the wallet on the same device; elsewhere the sandbox offers its simulated
  // wallet app beside the QR code (one way to the wallet at a time, never two identical buttons).
  function showSameDevice (device) {
    var el = document.getElementById('same-device')
    var simulated = document.getElementById('simulated')
    if (el) el.hidden = device !== 'android'
    if (simulated) simulated.hidden = device === 'android'
  }

  window.addEventListener('message', function (e) {
    var d = e.data
    if (!framed || e.source !== window.parent) return
    if (!d || typeof d !== 'object' || d.type !== 's2p:hello' || d.v !== 1) return
    if (allowed.length && allowed.indexOf(e.origin) < 0) return
    // The first valid hello fixes the parent origin for the life of the page.
    if (parentOrigin && e.origin !== parentOrigin) return
    if (DEVICES.indexOf(d.device) >= 0) {
      body.setAttribute('data-device', d.device)
      showSameDevice(d.device)
    }
    if (parentOrigin) return // already answered: one ready per page
    parentOrigin = e.origin
    window.parent.postMessage({ type: 's2p:ready', v: 1 }, parentOrigin)
    while (queue.length) window.parent.postMessage(queue.shift(), parentOrigin)
  })

  function render (s) {
    statusEl.textContent = s.text
    statusEl.setAttribute('data-phase', s.phase)
    body.setAttribute('data-phase', s.phase)
    if (s.message && s.seq !== lastSeq) {
      lastSeq = s.seq
      send(s.message)
    }
    if (s.final && !framed && s.message && typeof s.message.redirectUrl === 'string') {
      // Opened as a page (an email link): the welcome UI itself goes to welcomeCallbackUrl (as Samsung's
      // showWelcomeModal does at a final state).
      var to = new URL(s.message.redirectUrl, location.href)
      if (to.protocol === 'http:' || to.protocol === 'https:') location.assign(to.href)
    }
  }

  function expired () {
    statusEl.textContent = 'This link has expired. Go back to the site you came from and start again.'
    body.setAttribute('data-phase', 'expired')
  }

  function poll () {
    fetch(data.statusUrl, { cache: 'no-store', credentials: 'omit' }).then(function (r) {
      if (r.status === 410 || r.status === 404) return expired()
      if (!r.ok) throw new Error('HTTP ' + r.status)
      return r.json().then(function (s) {
        render(s)
        if (!s.final) setTimeout(poll, pollMs)
      })
    }).catch(function () {
      setTimeout(poll, pollMs * 2)
    })
  }

  if (framed) {
    // The shim's modal draws the one close button. Escape inside this cross-origin frame never
    // reaches the partner page, so ask it to close.
    document.addEventListener('keydown', function (e) {
      if (e.key === 'Escape') send({ type: 's2p:close', v: 1 })
    })
  } else {
    showSameDevice(/Android.*Mobile/.test(navigator.userAgent) ? 'android' : 'desktop')
  }

  var form = document.getElementById('contact')
  if (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault()
      var payload = {}
      ;['email', 'phone'].forEach(function (name) {
        var input = form.elements.namedItem(name)
        if (input && input.value) payload[name] = input.value
      })
      fetch(data.contactUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(payload),
        credentials: 'omit'
      }).then(function (r) {
        statusEl.textContent = r.ok ? 'We sent you a link.' : 'The link could not be sent.'
      })
    })
  }

  poll()
})()
