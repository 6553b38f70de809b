// A page on some origin that tries to pass itself off as the welcome page. The test calls
// forge() once the page has loaded: Chromium may drop a message that a brand-new cross-process
// frame posts while it is still being set up, and a lost forgery would prove nothing.
;(function () {
  'use strict'
  var q = new URLSearchParams(location.search)
  var msg = JSON.parse(q.get('m'))
  window.forge = function () {
    var target = q.get('to') === 'opener' ? window.opener : window.parent
    target.postMessage(msg, '*')
  }
})()
