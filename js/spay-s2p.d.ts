// Types for the Save to Pay shim (spay-s2p.js, spay-s2p.mjs), after Samsung's saveToPayUI interface:
// https://developer.samsung.com/pay/save2pay/js-lib.html
// Protocol between the shim and the welcome page: docs/welcome-protocol.md.

/** Outcome of a welcome session (Samsung's `Status`). */
export type Status = 'SUCCESS' | 'FAILURE' | 'DEVICE_NOT_SUPPORTED' | 'DEFAULT_PENDING'

/** Why a session failed (Samsung's `ErrorCode`). */
export type ErrorCode =
  | 'INVALID_INPUT'
  | 'PROVISION_FAILURE'
  | 'NETWORK_ERROR'
  | 'UNKNOWN_ERROR'
  | 'CARD_ALREADY_PRESENT'
  | 'CANCELED'

/** Device types that decide when the promise resolves: on close, except Android (session end). */
export type DeviceType = 'android' | 'ios' | 'tablet' | 'desktop'

export interface Details {
  errorCode: ErrorCode
  message?: string
}

export interface S2PRequest {
  /** welcomeUrl from the Save to Pay registration response: an absolute http(s) URL. */
  welcomeUrl: string
  /** Overrides user-agent detection, for pages that know better (and for tests). */
  device?: DeviceType
  /** Milliseconds to wait for the welcome page's first message; default 15000. */
  timeout?: number
  /** What to do when the welcome page never answers: open it in a new window, or go to it. */
  fallback?: 'window' | 'redirect'
  /** Accessible name of the dialog and title of the iframe; default "Save to Samsung Pay". */
  label?: string
  /** Accessible name of the close button; default "Close". */
  closeLabel?: string
}

export interface S2PResponse {
  status: Status
  /**
   * true if triggered by the iframe closing (by the user, the welcome page or the parent page);
   * false if the status is a final one reported before closing (Android only), or if the
   * request was refused before any iframe opened.
   */
  isIframeClosed: boolean
  /** Error information, present when status is 'FAILURE'. */
  details?: Details
}

/** detail of the "spay:s2p-status" event dispatched on window for each accepted status. */
export interface S2PStatusEventDetail {
  status: Status
  final: boolean
  details?: Details
}

export interface SaveToPayUI {
  /** Shows the welcome UI; goes to the welcome callback URL when the page reaches a final state. */
  showWelcomeModal(request: S2PRequest): void
  /** Shows the welcome UI; resolves (never rejects) on close, or on Android when the session ends. */
  showWelcomeModalPromise(request: S2PRequest): Promise<S2PResponse>
  /** Closes the modal if one is open; does nothing otherwise. */
  closeWelcomeModal(): void
}

export declare const saveToPayUI: Readonly<SaveToPayUI>
export declare const showWelcomeModal: SaveToPayUI['showWelcomeModal']
export declare const showWelcomeModalPromise: SaveToPayUI['showWelcomeModalPromise']
export declare const closeWelcomeModal: SaveToPayUI['closeWelcomeModal']
export default saveToPayUI

declare global {
  interface Window {
    spay: { saveToPayUI: Readonly<SaveToPayUI>; [other: string]: unknown }
  }
  interface WindowEventMap {
    'spay:s2p-show': CustomEvent<{ device: DeviceType }>
    'spay:s2p-status': CustomEvent<S2PStatusEventDetail>
    'spay:s2p-close': CustomEvent<S2PResponse>
  }
}
