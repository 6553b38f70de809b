/*!
 * spay-s2p: window.spay.saveToPayUI, the Samsung Pay "Save to Pay" welcome modal.
 * linkkit | Apache-2.0 | welcome protocol v1 (docs/welcome-protocol.md, usage in docs/shim.md)
 */
;(function (root) {
  'use strict'
  // Never clobber a namespace another script made, and make a second load a no-op
  // (both the classic script and the ES module may be on one page).
  var spay = (root.spay = root.spay || {})
  if (spay.saveToPayUI) return

  // The enums of Samsung's saveToPayUI JavaScript library (https://developer.samsung.com/pay/save2pay/js-lib.html):
  // the only values a welcome page may send.
  var STATUS = ['SUCCESS', 'FAILURE', 'DEVICE_NOT_SUPPORTED', 'DEFAULT_PENDING']
  var ERROR_CODE = [
    'INVALID_INPUT',
    'PROVISION_FAILURE',
    'NETWORK_ERROR',
    'UNKNOWN_ERROR',
    'CARD_ALREADY_PRESENT',
    'CANCELED'
  ]
  var DEVICES = ['android', 'ios', 'tablet', 'desktop']
  var FALLBACKS = ['window', 'redirect']
  var CLS = 'spay-s2p'
  var TIMEOUT = 15000
  var doc = root.document
  var cur = null // the open session; there is at most one

  function has (list, value) {
    return list.indexOf(value) >= 0
  }

  // An absolute http(s) URL, or null: Samsung's S2P API types these members as URLs, and the welcome
  // protocol (linkkit's choice) never follows javascript:, data: or a relative URL.
  function httpUrl (value) {
    var url
    if (typeof value !== 'string') return null
    try {
      url = new URL(value)
    } catch (e) {
      return null
    }
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null
  }

  // android, ios, tablet or desktop: it decides when the promise resolves. iPadOS 13+ sends a Mac user agent; touch points give it away.
  function detectDevice (nav) {
    var ua = nav.userAgent || ''
    if (/iPad/.test(ua) || (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1)) return 'tablet'
    if (/iPhone|iPod/.test(ua)) return 'ios'
    if (/Android/.test(ua)) return /Mobile/.test(ua) ? 'android' : 'tablet'
    return 'desktop'
  }

  function withDetails (o, details) {
    if (details) o.details = details
    return o
  }

  function response (status, isIframeClosed, details) {
    return withDetails({ status: status, isIframeClosed: isIframeClosed }, details)
  }

  function emit (name, detail) {
    root.dispatchEvent(new CustomEvent('spay:s2p-' + name, { detail: detail }))
  }

  function el (tag, attrs, parent) {
    var node = doc.createElement(tag)
    for (var k in attrs) node.setAttribute(k, attrs[k])
    return parent ? parent.appendChild(node) : node
  }

  // What is wrong with a request, or ''. The message starts with the field it is about.
  function problem (r, url) {
    if (!doc) return 'no document' // server-side rendering
    if (!doc.body) return 'document.body: not there yet'
    if (!url) return 'welcomeUrl: an absolute http(s) URL is required'
    if (r.device != null && !has(DEVICES, r.device)) return 'device: one of ' + DEVICES.join(', ')
    if (r.timeout != null && !(typeof r.timeout === 'number' && r.timeout > 0)) {
      return 'timeout: a positive number of milliseconds'
    }
    if (r.fallback != null && !has(FALLBACKS, r.fallback)) return 'fallback: window or redirect'
    return cur ? 'a welcome modal is already open' : ''
  }

  // Reads the request without changing it: the caller's object is never written to.
  function show (request, resolve) {
    var r = request && typeof request === 'object' ? request : {}
    var url = httpUrl(r.welcomeUrl)
    var err = problem(r, url)
    if (err) {
      // No iframe was opened, so isIframeClosed is false. The open modal, if any, is untouched.
      if (resolve) resolve(response('FAILURE', false, { errorCode: 'INVALID_INPUT', message: err }))
      else console.warn('spay-s2p: ' + err)
      return
    }
    var label = (typeof r.label === 'string' && r.label) || 'Save to Samsung Pay'
    var body = doc.body
    var s = (cur = {
      resolve: resolve,
      redirect: !resolve,
      device: r.device || detectDevice(root.navigator || {}),
      url: url.href,
      origin: url.origin,
      fallback: r.fallback,
      last: null,
      final: false,
      replied: false,
      inert: [],
      opener: doc.activeElement,
      y: root.scrollY,
      top: body.style.top
    })
    var box = (s.box = el('div', { class: CLS, 'data-device': s.device }))
    s.dlg = el('div', { class: CLS + '-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': label, tabindex: '-1' }, box)
    s.btn = el('button', {
      type: 'button',
      class: CLS + '-close',
      'aria-label': (typeof r.closeLabel === 'string' && r.closeLabel) || 'Close'
    }, s.dlg)
    s.btn.textContent = '\u00d7'
    s.btn.addEventListener('click', function () {
      close(s)
    })
    s.frame = el('iframe', { class: CLS + '-frame', title: label }, s.dlg)
    // Hello after every load of the welcome page.
    s.frame.addEventListener('load', function () {
      hello(s)
    })
    // Focus that leaves the iframe forwards lands here and is sent back to the close button.
    el('span', { class: CLS + '-trap', tabindex: '0' }, box)
    s.frame.src = s.url

    // Background out of reach: inert siblings (focus, clicks, assistive tech), scroll locked
    // with the fixed-body technique that also holds on iOS Safari.
    for (var i = 0; i < body.children.length; i++) {
      var c = body.children[i]
      if (!c.hasAttribute('inert')) {
        c.setAttribute('inert', '')
        s.inert.push(c)
      }
    }
    doc.documentElement.classList.add(CLS + '-lock')
    body.style.top = -s.y + 'px' // CSSOM, allowed under a strict style-src CSP
    body.appendChild(box)

    root.addEventListener('message', onMessage)
    doc.addEventListener('keydown', onKey, true)
    doc.addEventListener('focusin', onFocus, true)
    s.timer = setTimeout(function () {
      timedOut(s, r.timeout || TIMEOUT)
    }, r.timeout || TIMEOUT)
    s.dlg.focus()
    emit('show', { device: s.device })
  }

  function hello (s) {
    var w = s.frame.contentWindow
    // Target origin = welcome origin: a frame that navigated elsewhere never receives it.
    if (w) w.postMessage({ type: 's2p:hello', v: 1, device: s.device }, s.origin)
  }

  function alive (s) {
    clearTimeout(s.timer)
  }

  function timedOut (s, ms) {
    close(s, response('FAILURE', true, {
      errorCode: 'NETWORK_ERROR',
      message: 'the welcome page did not answer within ' + ms + ' ms'
    }))
    if (s.fallback === 'window') root.open(s.url, '_blank', 'noopener')
    if (s.fallback === 'redirect') root.location.assign(s.url)
  }

  function settle (s, r) {
    if (s.resolve) s.resolve(r)
    s.resolve = null
  }

  function close (s, r) {
    if (s !== cur) return
    cur = null
    clearTimeout(s.timer)
    root.removeEventListener('message', onMessage)
    doc.removeEventListener('keydown', onKey, true)
    doc.removeEventListener('focusin', onFocus, true)
    s.box.remove()
    s.inert.forEach(function (c) {
      c.removeAttribute('inert')
    })
    doc.documentElement.classList.remove(CLS + '-lock')
    doc.body.style.top = s.top
    root.scrollTo({ top: s.y, behavior: 'instant' })
    if (s.opener && s.opener.isConnected && s.opener.focus) s.opener.focus()
    // On close, the last status seen (DEFAULT_PENDING if none), isIframeClosed true.
    r = r || response(s.last ? s.last.status : 'DEFAULT_PENDING', true, s.last && s.last.details)
    settle(s, r)
    emit('close', r)
  }

  // A status message, checked field by field; null when anything is off (it then changes nothing).
  function parseStatus (d) {
    var det = d.details
    var out
    if (!has(STATUS, d.status) || typeof d.final !== 'boolean') return null
    if (d.redirectUrl !== undefined && typeof d.redirectUrl !== 'string') return null
    if (det !== undefined) {
      if (!det || typeof det !== 'object' || !has(ERROR_CODE, det.errorCode)) return null
      if (det.message !== undefined && typeof det.message !== 'string') return null
      out = { errorCode: det.errorCode }
      if (det.message !== undefined) out.message = det.message
    }
    return { status: d.status, details: out }
  }

  function onMessage (e) {
    var s = cur
    var d = e.data
    // Only the welcome page's origin, only from our own iframe, only protocol v1.
    if (!s || e.origin !== s.origin || e.source !== s.frame.contentWindow) return
    if (!d || typeof d !== 'object' || d.v !== 1) return
    if (d.type === 's2p:ready') {
      alive(s)
      // A page whose listener came after the load event missed the first hello.
      if (!s.replied) hello(s)
      s.replied = true
    } else if (d.type === 's2p:close') {
      close(s)
    } else if (d.type === 's2p:status' && !s.final) {
      var st = parseStatus(d)
      if (!st) return
      alive(s)
      s.last = st
      s.final = d.final
      emit('status', withDetails({ status: st.status, final: d.final }, st.details))
      if (!d.final) return
      // showWelcomeModal: go to the welcome callback URL, http(s) only.
      var to = s.redirect && httpUrl(d.redirectUrl)
      if (to) {
        close(s)
        root.location.assign(to.href)
      } else if (s.device === 'android') {
        // Android resolves when the session ends; the modal stays until closed.
        settle(s, response(st.status, false, st.details))
      }
    }
  }

  function onKey (e) {
    var s = cur
    // Keys reach us only while focus is in this document; inside the cross-origin iframe the
    // welcome page handles Escape itself and sends s2p:close.
    if (e.key === 'Escape') {
      e.preventDefault()
      close(s)
    } else if (e.key === 'Tab' && e.shiftKey && (e.target === s.btn || e.target === s.dlg)) {
      e.preventDefault()
      s.frame.focus()
    }
  }

  // focusin, not keydown: it also catches focus leaving the iframe (a keydown trap is one event late,
  // and a cross-origin frame's keys never reach this page).
  function onFocus (e) {
    var s = cur
    if (!s.dlg.contains(e.target)) s.btn.focus()
  }

  spay.saveToPayUI = Object.freeze({
    showWelcomeModal: function (request) {
      show(request, null)
    },
    showWelcomeModalPromise: function (request) {
      return new Promise(function (resolve) {
        show(request, resolve)
      })
    },
    closeWelcomeModal: function () {
      if (cur) close(cur)
    }
  })
})(typeof window !== 'undefined' ? window : globalThis)
