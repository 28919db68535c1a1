// Modules that scripts/build-web.mjs provides at bundle time.
declare module 'playground:worker' {
  /** The worker bundle's JavaScript source. */
  const source: string;
  export default source;
}
declare module 'playground:dataset' {
  /** The bundled CSV file's text. */
  const csv: string;
  export default csv;
}
