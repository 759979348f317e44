#include "bench/load/load_modes.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/byte_buffer.h"

namespace ff::bench {
namespace {

constexpr absl::Duration kTimeout = absl::Seconds(30);
constexpr int kListPageSize = 50;

absl::Status OpenWithTitle(const IncidentClient& client, const std::string& title, int64_t* id) {
  pb::OpenIncidentRequest request;
  request.set_title(title);
  request.set_domain("payment");
  request.set_severity(pb::SEVERITY_SEV3);
  request.set_reporter("ff-load");
  absl::StatusOr<pb::Incident> incident = client.OpenIncident(request);
  if (!incident.ok()) return incident.status();
  *id = incident->id();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<Mode>> ParseModes(const std::string& text) {
  if (text == "all") {
    return std::vector<Mode>{Mode::kBaseline, Mode::kOpen, Mode::kUpdate, Mode::kList,
                             Mode::kMixed};
  }
  std::vector<Mode> modes;
  for (absl::string_view name : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    bool found = false;
    for (Mode m : {Mode::kBaseline, Mode::kOpen, Mode::kUpdate, Mode::kList, Mode::kMixed}) {
      if (name == ModeName(m)) {
        modes.push_back(m);
        found = true;
      }
    }
    if (!found) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--mode: unknown mode \"", name, "\"; use baseline, open, update, list, mixed or all"));
    }
  }
  if (modes.empty()) return absl::InvalidArgumentError("--mode: no mode given");
  return modes;
}

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kBaseline:
      return "baseline";
    case Mode::kOpen:
      return "open";
    case Mode::kUpdate:
      return "update";
    case Mode::kList:
      return "list";
    case Mode::kMixed:
      return "mixed";
  }
  return "?";
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& addr) {
  grpc::ChannelArguments args;
  // Without a local pool, channels with equal arguments share one connection.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(addr, grpc::InsecureChannelCredentials(), args);
}

absl::StatusOr<int> CountListedIncidents(absl::string_view bytes) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  int incidents = 0;
  while (uint32_t tag = in.ReadTag()) {
    if (WireFormatLite::GetTagFieldNumber(tag) == 1 &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      ++incidents;
    }
    if (!WireFormatLite::SkipField(&in, tag)) break;
  }
  if (!in.ConsumedEntireMessage() || in.CurrentPosition() != static_cast<int>(bytes.size())) {
    return absl::InternalError(absl::StrCat("ListIncidents answered ", bytes.size(),
                                            " bytes that are not a ListIncidentsResponse"));
  }
  return incidents;
}

LoadClient::LoadClient(const std::string& addr, int id, PageHandling pages)
    : channel_(NewChannel(addr)),
      client_(channel_, kTimeout),
      health_(grpc::health::v1::Health::NewStub(channel_)),
      pages_(pages),
      generic_(channel_),
      random_(static_cast<uint64_t>(id) * 7919 + 1),
      id_(id) {}

LoadClient::~LoadClient() {
  queue_.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue_.Next(&tag, &ok)) {
  }
}

absl::Status LoadClient::Prepare(Mode mode) {
  // Every mode pays the connection set-up here, not in its first sample.
  if (absl::Status s = HealthCheck(); !s.ok()) return s;
  if ((mode != Mode::kUpdate && mode != Mode::kMixed) || own_incident_ != 0) {
    return absl::OkStatus();
  }
  absl::Status s = OpenWithTitle(client_, absl::StrCat("ff-load client ", id_), &own_incident_);
  last_opened_ = own_incident_;
  return s;
}

absl::Status LoadClient::Call(Mode mode) {
  ++calls_;
  switch (mode) {
    case Mode::kBaseline:
      return HealthCheck();
    case Mode::kOpen:
      return Open();
    case Mode::kUpdate:
      return Update();
    case Mode::kList:
      return List();
    case Mode::kMixed:
      break;
  }
  const uint64_t roll = random_() % 100;
  if (roll < 10) return Open();
  if (roll < 30) return Update();
  if (roll < 50) return Get();
  return List();
}

absl::Status LoadClient::Open() {
  return OpenWithTitle(client_, absl::StrCat("ff-load ", id_, " #", calls_), &last_opened_);
}

absl::Status LoadClient::Update() {
  pb::UpdateIncidentRequest request;
  request.set_id(own_incident_);
  request.set_actor("ff-load");
  request.set_severity(calls_ % 2 == 0 ? pb::SEVERITY_SEV3 : pb::SEVERITY_SEV4);
  return client_.UpdateIncident(request).status();
}

absl::Status LoadClient::List() {
  pb::ListIncidentsRequest request;
  request.add_statuses(pb::STATUS_INVESTIGATING);
  request.set_page_size(kListPageSize);
  if (pages_ == PageHandling::kCount) return ListCounted(request);
  absl::StatusOr<pb::ListIncidentsResponse> page = client_.ListIncidents(request);
  return page.status();
}

absl::Status LoadClient::ListCounted(const pb::ListIncidentsRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kTimeout));
  const std::string serialized = request.SerializeAsString();
  grpc::Slice slice(serialized);
  grpc::ByteBuffer request_bytes(&slice, 1);
  grpc::ByteBuffer response_bytes;
  grpc::Status status;
  auto call = generic_.PrepareUnaryCall(&context, "/firefighter.v1.IncidentService/ListIncidents",
                                        request_bytes, &queue_);
  call->StartCall();
  call->Finish(&response_bytes, &status, this);
  void* tag = nullptr;
  bool ok = false;
  if (!queue_.Next(&tag, &ok) || tag != this || !ok) {
    return absl::InternalError("ListIncidents: the completion queue ended the call");
  }
  if (!status.ok()) return FromGrpcStatus(status, kTimeout);
  grpc::Slice whole;
  if (!response_bytes.DumpToSingleSlice(&whole).ok()) {
    return absl::InternalError("ListIncidents: the answer could not be read");
  }
  absl::StatusOr<int> incidents = CountListedIncidents(
      absl::string_view(reinterpret_cast<const char*>(whole.begin()), whole.size()));
  return incidents.status();
}

absl::Status LoadClient::Get() { return client_.GetIncident(last_opened_).status(); }

absl::Status LoadClient::HealthCheck() {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kTimeout));
  grpc::health::v1::HealthCheckRequest request;  // service "": the whole server
  grpc::health::v1::HealthCheckResponse response;
  return FromGrpcStatus(health_->Check(&context, request, &response), kTimeout);
}

absl::Status LoadClient::SeedOne(int64_t n) {
  int64_t id = 0;
  if (absl::Status s = OpenWithTitle(client_, absl::StrCat("seeded incident ", n), &id); !s.ok()) {
    return s;
  }
  // Spread statuses so the list filter has a realistic share of matches.
  static constexpr pb::Status kStatuses[] = {pb::STATUS_INVESTIGATING, pb::STATUS_FIXING,
                                             pb::STATUS_FIXED};
  pb::UpdateIncidentRequest update;
  update.set_id(id);
  update.set_actor("ff-load");
  update.set_status(kStatuses[n % 3]);
  if (absl::Status s = client_.UpdateIncident(update).status(); !s.ok()) return s;
  pb::AddTimelineEntryRequest note;
  note.set_incident_id(id);
  note.set_actor("ff-load");
  note.set_text(absl::StrCat("seeded note for incident ", n));
  return client_.AddTimelineEntry(note).status();
}

}  // namespace ff::bench
