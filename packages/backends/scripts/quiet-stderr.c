// A Node addon with two functions, built by install-native.mjs beside the libtensorflow it extracts from the
// tensorflow-cpu wheel. TensorFlow 2.21 logs a note ("oneDNN custom operations are on", after absl's "All log
// messages before absl::InitializeLog() …") to stderr while the library loads, before it reads
// TF_CPP_MIN_LOG_LEVEL, so that no setting silences it. nnkit points file descriptor 2 at /dev/null around that
// load (packages/backends/src/native/prepare.ts). dup2 swaps it in one step: no other thread can be handed fd 2.
#include <fcntl.h>
#include <node_api.h>
#include <stdio.h>
#include <unistd.h>

// mute(): fd 2 → /dev/null; returns a descriptor of the old stderr to pass to restore(), or -1 if it could not.
static napi_value mute(napi_env env, napi_callback_info info) {
  (void)info;
  fflush(stderr);
  int saved = dup(2);
  int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (saved >= 0 && devnull >= 0 && dup2(devnull, 2) < 0) {
    close(saved);
    saved = -1;
  }
  if (devnull >= 0) close(devnull);
  if (saved >= 0) fcntl(saved, F_SETFD, FD_CLOEXEC);
  napi_value result;
  napi_create_int32(env, saved, &result);
  return result;
}

// restore(saved): fd 2 → the stderr mute() saved.
static napi_value restore(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int32_t saved = -1;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc == 1) napi_get_value_int32(env, argv[0], &saved);
  if (saved >= 0) {
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
  }
  return NULL;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor properties[] = {
      {"mute", NULL, mute, NULL, NULL, NULL, napi_default, NULL},
      {"restore", NULL, restore, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, 2, properties);
  return exports;
}
