/*
 * linkkit sandbox: the simulated Samsung Wallet app. "Link this wallet" sends the account and
 * device to the S2P sandbox (steps 5-10 of Samsung's Save to Pay integration workflow,
 * https://developer.samsung.com/pay/save2pay/api-introduction.html); each outcome button reports how
 * tokenization ended (steps 17-18).
 */
;(function () {
  'use strict'
  var data = document.body.dataset
  var result = document.getElementById('result')
  var session = document.getElementById('session')
  var form = document.getElementById('account')

  function post (url, payload) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
      credentials: 'omit'
    }).then(function (r) {
      return r.json().then(function (body) {
        return { ok: r.ok, body: body }
      })
    })
  }

  form.addEventListener('submit', function (e) {
    e.preventDefault()
    var account = {}
    ;['userId', 'email', 'phone', 'deviceId', 'walletId'].forEach(function (name) {
      account[name] = form.elements.namedItem(name).value
    })
    document.getElementById('link').disabled = true
    post(data.initiateUrl, account).then(function (r) {
      if (!r.ok) {
        result.textContent = r.body.error || 'Linking failed.'
        result.setAttribute('data-state', 'refused')
        document.getElementById('link').disabled = false
        return
      }
      var blob = r.body.issuerBlob
      document.getElementById('blob').textContent = blob
        ? 'Issuer data received (' + blob.length + ' characters).'
        : 'Card data came with the registration.'
      session.hidden = false
      result.textContent = 'Linked. Choose how provisioning ends.'
      result.setAttribute('data-state', 'linked')
    })
  })

  session.addEventListener('click', function (e) {
    var outcome = e.target && e.target.getAttribute('data-outcome')
    if (!outcome) return
    var buttons = session.querySelectorAll('button')
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true
    post(data.completeUrl, { outcome: outcome }).then(function (r) {
      result.textContent = r.ok ? r.body.text : (r.body.error || 'Failed.')
      result.setAttribute('data-state', r.ok ? 'final' : 'refused')
    })
  })
})()
