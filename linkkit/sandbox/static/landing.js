// linkkit sandbox landing page: hand the link's fragment (#Clip?cdata=..|pdata=..|adata=..) to the
// sandbox. A fragment never reaches a server, so a script must read it; it goes in a POST body, and
// is taken out of the address bar and history first.
(function () {
  'use strict'
  var form = document.getElementById('open-form')
  var input = document.getElementById('open-link')
  var status = document.getElementById('status')
  if (!form || !input) return
  if (location.hash.indexOf('#Clip?') !== 0) {
    status.textContent = 'This link carries no card: it must end with #Clip?cdata=, pdata= or adata=.'
    return
  }
  input.value = location.href
  history.replaceState(null, '', location.pathname)
  form.submit()
})()
