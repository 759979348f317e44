// Mapping between SQLite rows and the incident messages. Stateless.
#ifndef FF_SERVER_STORE_SQLITE_CODEC_H_
#define FF_SERVER_STORE_SQLITE_CODEC_H_

#include "SQLiteCpp/Column.h"
#include "SQLiteCpp/Statement.h"
#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"

namespace ff {
namespace pb = ::firefighter::v1;

// The incidents columns, in the order ReadIncident expects them.
extern const char kIncidentColumns[];
// "title = ?, …, version = ?": the writable columns, in BindIncident's order.
extern const char kIncidentAssignments[];
// "(title, …, version) VALUES (?, …, ?)".
extern const char kIncidentInsert[];
// How many parameters BindIncident binds.
inline constexpr int kIncidentBoundColumns = 25;

// BindIncident binds every column but id to parameters 1..25, the last two
// the stored record (StoredRecordOf) and the version it was written at.
void BindIncident(SQLite::Statement& statement, const pb::Incident& incident);
// ReadIncident reads a row selected with kIncidentColumns; the second form
// fills `out` (an empty message, possibly on an arena) in place.
pb::Incident ReadIncident(SQLite::Statement& statement);
void ReadIncident(SQLite::Statement& statement, pb::Incident* out);

// The timeline columns, in the order ReadEntry expects them.
extern const char kEntryColumns[];
pb::TimelineEntry ReadEntry(SQLite::Statement& statement);
// ReadFollowUp reads a follow-up from its id and record columns, from `column`.
pb::FollowUp ReadFollowUp(SQLite::Statement& statement, int column = 0);

}  // namespace ff

#endif  // FF_SERVER_STORE_SQLITE_CODEC_H_
