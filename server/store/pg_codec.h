// Mapping between PostgreSQL rows and the incident messages. Stateless.
#ifndef FF_SERVER_STORE_PG_CODEC_H_
#define FF_SERVER_STORE_PG_CODEC_H_

#include "firefighter/v1/follow_up.pb.h"
#include "firefighter/v1/incident.pb.h"
#include "server/store/pg_connection.h"

namespace ff {
namespace pb = ::firefighter::v1;

// The incidents columns, in the order ReadPgIncident expects them.
extern const char kPgIncidentColumns[];
// "title = $1, …, record_version = $25": the writable columns, in AddIncident's
// order.
extern const char kPgIncidentAssignments[];
// "(id, title, …, record_version) VALUES ($26, $1, …, $25)": the id comes last.
extern const char kPgIncidentInsert[];

// AddIncident appends every column but id as parameters $1..$25, the last two
// the stored record (StoredRecordOf) and the version it was written at.
void AddIncident(PgParams& params, const pb::Incident& incident);
// ReadPgIncident reads row `row` selected with kPgIncidentColumns.
// The second form fills `out` (an empty message, possibly on an arena).
pb::Incident ReadPgIncident(const PgResult& result, int row);
void ReadPgIncident(const PgResult& result, int row, pb::Incident* out);

// The timeline columns, in the order ReadPgEntry expects them, from `column`.
extern const char kPgEntryColumns[];
pb::TimelineEntry ReadPgEntry(const PgResult& result, int row, int column = 0);
// ReadPgFollowUp reads a follow-up from its id and record columns.
pb::FollowUp ReadPgFollowUp(const PgResult& result, int row, int column = 0);

}  // namespace ff

#endif  // FF_SERVER_STORE_PG_CODEC_H_
