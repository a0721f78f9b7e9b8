declare const normalised: unique symbol;

/**
 * A TimeLog work GUID in its one form, lower case. TimeLog answers in either case and people type GUIDs into
 * Forecast's custom field: a GUID becomes a WorkGuid once, where it comes in (the TimeLog client's parsing, event
 * decoding, the deterministic GUID, a stored pair), and is compared with === from then on.
 */
export type WorkGuid = string & { readonly [normalised]: true };

export const toWorkGuid = (value: string): WorkGuid => value.toLowerCase() as WorkGuid;
