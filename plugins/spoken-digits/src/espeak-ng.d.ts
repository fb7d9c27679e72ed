// The npm espeak-ng package ships no types: what this plugin uses of its Emscripten module.
declare module 'espeak-ng' {
  type Imports = Record<string, Record<string, unknown>>;
  interface ESpeakNgOptions {
    /** The command line of espeak-ng, without the program name; main() runs with it once the module is ready. */
    arguments: string[];
    /** Where its stdout and stderr lines go (default: the console). */
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    /** Emscripten's hook to instantiate the WebAssembly oneself: given the imports, hand `receive` the instance. */
    instantiateWasm?: (imports: Imports, receive: (instance: object) => void) => object;
  }
  interface ESpeakNgModule {
    /** Emscripten's in-memory file system, where `-w out.wav` writes. */
    FS: { readFile(path: string): Uint8Array };
  }
  export default function ESpeakNg(options: ESpeakNgOptions): Promise<ESpeakNgModule>;
}
