/*!
 * samsung-wallet-button: the <samsung-wallet-button> custom element (docs/buttons.md).
 * linkkit | Apache-2.0 | no dependencies, no inline style or script (works under script-src 'self')
 */
;(function (root) {
  'use strict'
  var doc = root.document
  var ce = root.customElements
  // A second load (classic script and ES module on one page) keeps the first definition.
  if (root.SamsungWalletButton) return

  // tag|direction|Add label|Save label|View label, one locale a line; the same table as
  // linkkit/assets/locales.py (tests/test_js_button_files.py compares them).
  var TABLE =
    'en-US|l|Add to Samsung Wallet|Save to Samsung Pay|View in Samsung Wallet\n' +
    'en-GB|l|Add to Samsung Wallet|Save to Samsung Pay|View in Samsung Wallet\n' +
    'ko|l|Samsung Wallet에 추가|Samsung Pay에 저장|Samsung Wallet에서 보기\n' +
    'ja|l|Samsung Walletに追加|Samsung Payに保存|Samsung Walletで表示\n' +
    'zh-CN|l|添加到 Samsung Wallet|保存到 Samsung Pay|在 Samsung Wallet 中查看\n' +
    'zh-TW|l|新增至 Samsung Wallet|儲存至 Samsung Pay|在 Samsung Wallet 中檢視\n' +
    'ar|r|إضافة إلى Samsung Wallet|حفظ في Samsung Pay|عرض في Samsung Wallet\n' +
    'he|r|הוספה ל-Samsung Wallet|שמירה ב-Samsung Pay|הצגה ב-Samsung Wallet\n' +
    'de|l|Zu Samsung Wallet hinzufügen|In Samsung Pay speichern|In Samsung Wallet ansehen\n' +
    'fr|l|Ajouter à Samsung Wallet|Enregistrer dans Samsung Pay|Afficher dans Samsung Wallet\n' +
    'es|l|Añadir a Samsung Wallet|Guardar en Samsung Pay|Ver en Samsung Wallet\n' +
    'pt-BR|l|Adicionar à Samsung Wallet|Salvar no Samsung Pay|Ver na Samsung Wallet\n' +
    'pt|l|Adicionar à Samsung Wallet|Guardar no Samsung Pay|Ver na Samsung Wallet\n' +
    'it|l|Aggiungi a Samsung Wallet|Salva in Samsung Pay|Visualizza in Samsung Wallet\n' +
    'nl|l|Toevoegen aan Samsung Wallet|Opslaan in Samsung Pay|Bekijken in Samsung Wallet\n' +
    'pl|l|Dodaj do Samsung Wallet|Zapisz w Samsung Pay|Wyświetl w Samsung Wallet\n' +
    'sv|l|Lägg till i Samsung Wallet|Spara i Samsung Pay|Visa i Samsung Wallet\n' +
    "tr|l|Samsung Wallet'a ekle|Samsung Pay'e kaydet|Samsung Wallet'ta görüntüle\n" +
    'el|l|Προσθήκη στο Samsung Wallet|Αποθήκευση στο Samsung Pay|Προβολή στο Samsung Wallet\n' +
    'ru|l|Добавить в Samsung Wallet|Сохранить в Samsung Pay|Открыть в Samsung Wallet\n' +
    'id|l|Tambahkan ke Samsung Wallet|Simpan ke Samsung Pay|Lihat di Samsung Wallet\n' +
    'th|l|เพิ่มไปยัง Samsung Wallet|บันทึกลงใน Samsung Pay|ดูใน Samsung Wallet'
  // Where a language goes before the final en-US (locales.py's _LANGUAGE_DEFAULTS).
  var DEFAULTS = {
    en: 'en-US',
    zh: 'zh-CN',
    'zh-hans': 'zh-CN',
    'zh-hant': 'zh-TW',
    'zh-hk': 'zh-TW',
    'zh-mo': 'zh-TW',
    'zh-sg': 'zh-CN',
    iw: 'he',
    in: 'id'
  }
  var LOCALES = {}
  var FOLD = {}
  TABLE.split('\n').forEach(function (line) {
    var f = line.split('|')
    LOCALES[f[0]] = { tag: f[0], dir: f[1] === 'r' ? 'rtl' : 'ltr', wallet: f[2], pay: f[3], view: f[4] }
    FOLD[f[0].toLowerCase()] = f[0]
  })
  // Model prefixes of Samsung phones and tablets (international SM-, Japanese SC-/SCV/SCG, older ones).
  var SAMSUNG = /^(SM-|SC-|SCV|SCG|SGH-|GT-|SHV-|SPH-|Galaxy)/i
  var ERROR = 'Samsung Wallet could not be opened. Try again.'

  // The tags tried for a locale, most specific first, ending in en-US (locales.fallback_chain).
  function chain (tag) {
    var out = []
    function add (t) {
      var low = t.toLowerCase()
      var shipped = FOLD[low] || t
      if (out.indexOf(shipped) < 0) out.push(shipped)
      if (DEFAULTS[low] && out.indexOf(DEFAULTS[low]) < 0) out.push(DEFAULTS[low])
    }
    if (typeof tag === 'string' && /^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8})*$/.test(tag)) {
      var parts = tag.replace(/_/g, '-').split('-')
      for (var end = parts.length; end > 0; end--) add(parts.slice(0, end).join('-'))
    }
    if (out.indexOf('en-US') < 0) out.push('en-US')
    return out
  }

  function locale (tag) {
    var c = chain(tag)
    for (var i = 0; i < c.length; i++) if (LOCALES[c[i]]) return LOCALES[c[i]]
  }

  // The gating decision: [mode, reason], mode one of button, qr, hidden (docs/buttons.md has the
  // table; linkkit/buttons/gating.py makes the same decision on the server from the headers).
  function decide (ua, model, platform, touch) {
    ua = ua || ''
    if (/iPad/.test(ua) || (platform === 'MacIntel' && touch > 1)) {
      return ['qr', 'iPadOS: no Samsung Wallet; the QR code is for a Samsung phone']
    }
    if (/iPhone|iPod/.test(ua)) return ['hidden', 'iOS: no Samsung Wallet, and a phone cannot scan its own screen']
    if (/Android/.test(ua) || platform === 'Android') {
      var m = model || (/Android [^;)]*; (?:[a-z]{2}[-_][a-zA-Z]{2}; )?([^;)]+?)(?: Build[^;)]*)?\)/.exec(ua) || [])[1]
      if (/SamsungBrowser|SAMSUNG/.test(ua) || SAMSUNG.test(m || '')) return ['button', 'Samsung device ' + (m || '')]
      if (!m || m === 'K') return ['button', 'Android, model not known: Samsung Wallet may be there']
      return ['hidden', 'Android ' + m + ' is not a Samsung device']
    }
    return ['qr', 'desktop: the QR code is for a Samsung phone']
  }

  function httpUrl (value) {
    if (typeof value !== 'string' || !value) return null
    try {
      var u = new URL(value, root.location.href)
      if (u.protocol === 'https:' || u.protocol === 'http:') return u.href
    } catch (e) {}
    return null
  }

  if (!ce || !doc) {
    root.SamsungWalletButton = { chain: chain, decide: decide, locale: locale }
    return
  }

  class Button extends HTMLElement {
    static get observedAttributes () {
      return ['kind', 'locale', 'theme', 'layout', 'state', 'href', 'gate', 'asset-base']
    }

    attr (name, fallback) {
      var v = this.getAttribute(name)
      return v == null || v === '' ? fallback : v
    }

    log (text) {
      if (this.hasAttribute('debug')) console.info('samsung-wallet-button: ' + text)
    }

    // Dispatch the cancelable event swb-<name>; unless it was cancelled, send the funnel beacons.
    fire (name, detail) {
      detail = detail || {}
      detail.card = this.attr('card', '')
      detail.state = this.attr('state', 'add')
      var go = this.dispatchEvent(
        new CustomEvent('swb-' + name, { detail: detail, bubbles: true, composed: true, cancelable: true })
      )
      this.log(name + (go ? '' : ' (cancelled)'))
      if (go && name !== 'gate') {
        var body = JSON.stringify({ event: name, card: detail.card, state: detail.state })
        var urls = [this.attr('beacon-url'), this.attr({ impression: 'rd-impression-url', click: 'rd-click-url' }[name])]
        for (var i = 0; i < 2; i++) if (urls[i] && navigator.sendBeacon) navigator.sendBeacon(urls[i], body)
      }
      return go
    }

    connectedCallback () {
      var self = this
      if (self.gate) return self.render()
      var forced = self.attr('gate', 'auto')
      var nav = root.navigator
      var uad = nav.userAgentData
      function done (model, why) {
        self.gate =
          forced !== 'auto'
            ? [forced, 'gate="' + forced + '" attribute']
            : decide(nav.userAgent, model, nav.platform, nav.maxTouchPoints)
        if (why) self.gate[1] += ' (' + why + ')'
        self.render()
      }
      // Chromium sends "Android 10; K" for every phone: the model is in the client hints only.
      if (forced === 'auto' && uad && /Android/.test(nav.userAgent + uad.platform)) {
        uad.getHighEntropyValues(['model']).then(
          function (v) {
            done(v.model, 'Sec-CH-UA-Model ' + v.model)
          },
          function () {
            done()
          }
        )
      } else done()
    }

    attributeChangedCallback (name) {
      if (name === 'gate') this.gate = null
      if (this.isConnected && this.gate !== undefined) this.connectedCallback()
    }

    render () {
      var self = this
      var mode = self.gate[0]
      var kind = self.attr('kind') === 'pay' ? 'pay' : 'wallet'
      var view = kind === 'wallet' && self.attr('state') === 'view'
      var loc = locale(self.attr('locale', doc.documentElement.lang))
      var theme = self.attr('theme')
      if (theme === 'auto') theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'
      if (theme !== 'dark') theme = 'light'
      var qr = self.querySelector('.swb-qr')
      if (mode === 'qr' && !qr) mode = 'hidden'
      self.log(mode + ': ' + self.gate[1] + (mode !== self.gate[0] ? '; no .swb-qr child to show' : ''))
      self.setAttribute('data-mode', mode)
      self.fire('gate', { mode: mode, reason: self.gate[1] })
      if (self.btn) self.btn.remove(), self.msg.remove()
      self.btn = null
      if (mode !== 'button') return
      var href = httpUrl(self.attr('href'))
      var b = (self.btn = doc.createElement(href ? 'a' : 'button'))
      if (href) {
        b.href = href
        b.rel = 'noreferrer'
      } else b.type = 'button'
      b.className = 'swb-b swb-' + theme + (view ? ' swb-view' : '')
      b.lang = loc.tag
      b.dir = loc.dir
      if (view) b.textContent = loc.view
      else {
        var img = new Image()
        img.alt = loc[kind]
        img.src =
          self.attr('asset-base', '/_linkkit/web') +
          '/buttons/' + kind + '/' + loc.tag + '/' + theme + '-' +
          (self.attr('layout') === 'vertical' ? 'vertical' : 'horizontal') + '.svg'
        b.appendChild(img)
      }
      b.addEventListener('click', function (e) {
        self.press(e, href)
      })
      self.msg = doc.createElement('span')
      self.msg.className = 'swb-msg'
      self.msg.setAttribute('role', 'alert')
      self.insertBefore(self.msg, qr)
      self.insertBefore(b, self.msg)
      if (!self.seen && root.IntersectionObserver) {
        var io = new IntersectionObserver(
          function (entries) {
            if (entries[0].isIntersecting && !self.seen) {
              self.seen = 1
              io.disconnect()
              self.fire('impression')
            }
          },
          { threshold: 0.5 }
        )
        io.observe(b)
      }
    }

    busy (on) {
      this.btn.setAttribute('aria-busy', on)
      this.toggleAttribute('data-busy', on)
    }

    press (e, href) {
      var self = this
      if (self.hasAttribute('data-busy') || !self.fire('click')) return e.preventDefault()
      if (href) return // a static link: the browser follows it inside this gesture
      e.preventDefault()
      self.msg.textContent = ''
      self.busy(true)
      var url = self.attr('mint-url')
      var made =
        typeof self.mint === 'function'
          ? Promise.resolve().then(function () {
            return self.mint()
          })
          : url
            ? fetch(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(
              function (r) {
                if (!r.ok) throw Error('mint-url answered ' + r.status)
                return r.json().then(function (j) {
                  return j.href
                })
              }
            )
            : Promise.reject(Error('no href, mint-url or mint()'))
      made
        .then(function (link) {
          var u = httpUrl(link)
          if (!u) throw Error('the minted link is not an http(s) URL')
          // Same tab, inside the click's transient activation: no popup blocker applies.
          if (self.fire('mint', { href: u })) root.location.assign(u)
          else self.busy(false)
        })
        .catch(function (err) {
          self.busy(false)
          self.log('mint failed: ' + err)
          if (self.fire('mint-error', { message: String((err && err.message) || err) })) {
            self.msg.textContent = self.attr('error-text', ERROR)
          }
        })
    }
  }
  Button.chain = chain
  Button.decide = decide
  Button.locale = locale

  root.SamsungWalletButton = Button
  if (!ce.get('samsung-wallet-button')) ce.define('samsung-wallet-button', Button)
})(typeof window !== 'undefined' ? window : globalThis)
