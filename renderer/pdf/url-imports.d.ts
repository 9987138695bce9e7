// Vite's `?url` imports (the file is emitted as an asset and its URL is the default export).
// Declared here rather than through vite/client types, which would also type import.meta.env
// and CSS imports the renderer does not use.
declare module '*?url' {
  const url: string;
  export default url;
}
