# node-gyp build of the native kernels (see native/build.mjs, run during `npm install`).
{
  "targets": [
    {
      "target_name": "voxelflow_native",
      "sources": ["src/addon.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      # NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS: a kernel whose thread is terminated mid-call (an aborted
      # task: piscina terminates its thread) fails its last N-API call; without it node-addon-api makes that
      # a fatal error, and SIGABRT took a whole cluster worker down mid-job (test/cluster/executor-loss).
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED", "NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS"],
      "cflags": ["-O3", "-fno-exceptions", "-ffp-contract=off"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-exceptions", "-ffp-contract=off"],
      "cflags_cc!": ["-std=gnu++17", "-std=gnu++14", "-std=gnu++1y"],
      "xcode_settings": {
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "GCC_OPTIMIZATION_LEVEL": "3",
        "OTHER_CFLAGS": ["-ffp-contract=off"]
      },
      "msvs_settings": { "VCCLCompilerTool": { "AdditionalOptions": ["/std:c++17", "/O2"] } }
    }
  ]
}
