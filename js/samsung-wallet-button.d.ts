// Types for <samsung-wallet-button> (samsung-wallet-button.js, samsung-wallet-button.mjs); docs/buttons.md.

/** What the element shows: the button, the QR code child (`.swb-qr`), or nothing. */
export type GateMode = 'button' | 'qr' | 'hidden'
/** `gate` attribute: `auto` decides from the user agent and client hints; the others force a mode. */
export type Gate = 'auto' | GateMode
export type Kind = 'wallet' | 'pay'
export type Theme = 'light' | 'dark' | 'auto'
export type Layout = 'horizontal' | 'vertical'
/** `view` renders "View in Samsung Wallet" (the card is already in the wallet); wallet kind only. */
export type CardState = 'add' | 'view'

export interface Locale {
  tag: string
  dir: 'ltr' | 'rtl'
  wallet: string
  pay: string
  view: string
}

/** Every event's detail; events are `swb-<name>`, they bubble and are cancelable. */
export interface ButtonEventDetail {
  card: string
  state: CardState
  /** swb-gate */
  mode?: GateMode
  reason?: string
  /** swb-mint: the link about to be opened */
  href?: string
  /** swb-mint-error */
  message?: string
}

/** Funnel events. Cancelling one stops its beacon; cancelling click stops the click, mint stops the
 * navigation, mint-error stops the built-in error message. */
export type ButtonEventName = 'swb-gate' | 'swb-impression' | 'swb-click' | 'swb-mint' | 'swb-mint-error'

export declare class SamsungWalletButton extends HTMLElement {
  static readonly observedAttributes: string[]
  /** The locale tags tried for `tag`, most specific first, ending in `en-US`. */
  static chain(tag: string | null | undefined): string[]
  /** The gating decision `[mode, reason]` for a user agent, a client-hint model, `navigator.platform`
   * and `navigator.maxTouchPoints`. */
  static decide(ua: string, model?: string, platform?: string, touchPoints?: number): [GateMode, string]
  static locale(tag: string | null | undefined): Locale
  /** Instead of `mint-url`: returns (a Promise of) a fresh Data Transmit link, called at click time. */
  mint?: () => string | Promise<string>
  /** `[mode, reason]` once decided. */
  gate?: [GateMode, string] | null
}

export declare const chain: typeof SamsungWalletButton.chain
export declare const decide: typeof SamsungWalletButton.decide
export declare const locale: typeof SamsungWalletButton.locale
export default SamsungWalletButton

declare global {
  interface HTMLElementTagNameMap {
    'samsung-wallet-button': SamsungWalletButton
  }
  interface HTMLElementEventMap {
    'swb-gate': CustomEvent<ButtonEventDetail>
    'swb-impression': CustomEvent<ButtonEventDetail>
    'swb-click': CustomEvent<ButtonEventDetail>
    'swb-mint': CustomEvent<ButtonEventDetail>
    'swb-mint-error': CustomEvent<ButtonEventDetail>
  }
  interface Window {
    SamsungWalletButton: typeof SamsungWalletButton
  }
}
