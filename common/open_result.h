// How OpenIncident says whether it made an incident or found one: the
// answer's initial metadata carries kOpenResultKey, "created" or
// "deduplicated" (an open incident had the request's dedup_key; nothing was
// stored). The Incident message itself is the same either way.
#ifndef FF_COMMON_OPEN_RESULT_H_
#define FF_COMMON_OPEN_RESULT_H_

namespace ff {

inline constexpr char kOpenResultKey[] = "ff-open-result";
inline constexpr char kOpenResultCreated[] = "created";
inline constexpr char kOpenResultDeduplicated[] = "deduplicated";

}  // namespace ff

#endif  // FF_COMMON_OPEN_RESULT_H_
