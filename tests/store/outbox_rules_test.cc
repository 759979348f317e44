// The delivery rules every OutboxStore follows (server/store/outbox_rules.h),
// one case each; the contract suites hold the stores to them end to end.
#include "server/store/outbox_rules.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/time_util.h"
#include "tests/testing/status_matchers.h"

namespace ff {
namespace {

using ::ff::testing::IsOk;
using ::ff::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const absl::Time kNow = absl::FromUnixSeconds(1767225600);

TEST(OutboxRules, AFailedAttemptWithARetryTimeIsPendingUntilThen) {
  AttemptOutcome failed = FailedAttempt("timeout", kNow + absl::Seconds(8), kNow);
  EXPECT_EQ(failed.state, pb::DELIVERY_STATE_PENDING);
  EXPECT_EQ(failed.last_error, "timeout");
  EXPECT_EQ(failed.next_attempt_at, kNow + absl::Seconds(8));
}

TEST(OutboxRules, AFailedAttemptWithoutARetryTimeIsDeadAndKeepsPartOfItsError) {
  AttemptOutcome failed = FailedAttempt(std::string(2500, 'e'), std::nullopt, kNow);
  EXPECT_EQ(failed.state, pb::DELIVERY_STATE_DEAD);
  EXPECT_EQ(failed.last_error, std::string(kMaxDeliveryError, 'e'));
  EXPECT_EQ(failed.next_attempt_at, kNow);
}

TEST(OutboxRules, ADeferredAttemptStaysPendingUntilItsBudgetAllows) {
  AttemptOutcome deferred = DeferredAttempt(std::string(2500, 'w'), kNow + absl::Minutes(1));
  EXPECT_EQ(deferred.state, pb::DELIVERY_STATE_PENDING);
  EXPECT_EQ(deferred.last_error, std::string(kMaxDeliveryError, 'w'));
  EXPECT_EQ(deferred.next_attempt_at, kNow + absl::Minutes(1));
}

// Pending is a pending delivery of `incident` to `notifier` due at `due`.
PendingDelivery Pending(int64_t id, int64_t incident, const std::string& notifier, int64_t severity,
                        absl::Time due) {
  return {{id, incident, notifier}, {severity, due, id}};
}

std::vector<int64_t> Ids(const std::vector<DueDelivery>& due) {
  std::vector<int64_t> ids;
  for (const DueDelivery& d : due) ids.push_back(d.id);
  return ids;
}

TEST(OutboxRules, DueOrderIsSeverityThenLongestDueThenOldest) {
  const std::vector<PendingDelivery> pending = {
      Pending(1, 1, "slack", 3, kNow - absl::Seconds(9)),
      Pending(2, 2, "slack", 1, kNow - absl::Seconds(1)),
      Pending(3, 3, "slack", 1, kNow - absl::Seconds(5)),
      Pending(4, 4, "slack", 1, kNow - absl::Seconds(5)),
  };
  EXPECT_THAT(Ids(PickDue(pending, kNow, 10)), ElementsAre(3, 4, 2, 1));
  EXPECT_THAT(Ids(PickDue(pending, kNow, 2)), ElementsAre(3, 4));
  EXPECT_THAT(PickDue(pending, kNow, 0), IsEmpty());
}

TEST(OutboxRules, OnlyTheOldestPendingDeliveryOfAnIncidentAndNotifierMayGo) {
  const std::vector<PendingDelivery> pending = {
      Pending(7, 1, "slack", 2, kNow + absl::Minutes(1)),  // deferred head
      Pending(8, 1, "slack", 2, kNow),                     // waits for 7
      Pending(9, 1, "pagerduty", 2, kNow),                 // another notifier
  };
  EXPECT_THAT(Ids(PickDue(pending, kNow, 10)), ElementsAre(9));
  EXPECT_EQ(NextDue(pending), kNow);
  EXPECT_EQ(NextDue({pending[0], pending[1]}), kNow + absl::Minutes(1))
      << "a successor due earlier waits for its head";
  EXPECT_EQ(NextDue({}), std::nullopt);
}

TEST(OutboxRules, OnlyADeadDeliveryMayBeRetried) {
  EXPECT_THAT(CheckRetryable(5, pb::DELIVERY_STATE_DEAD), IsOk());
  EXPECT_THAT(CheckRetryable(5, pb::DELIVERY_STATE_PENDING),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "delivery 5 is pending; only a dead delivery can be retried"));
  EXPECT_THAT(CheckRetryable(5, pb::DELIVERY_STATE_DELIVERED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "delivery 5 is delivered; only a dead delivery can be retried"));
}

TEST(OutboxRules, AChangeOfADeliveryNoLongerPendingSaysWhy) {
  EXPECT_THAT(NotPendingDelivery(5, /*exists=*/false),
              StatusIs(absl::StatusCode::kNotFound, "delivery 5 does not exist"));
  EXPECT_THAT(NotPendingDelivery(5, /*exists=*/true),
              StatusIs(absl::StatusCode::kFailedPrecondition, "delivery 5 is no longer pending"));
}

TEST(OutboxRules, ARetryIsRecordedWithWhoDidItAndWhatHadFailed) {
  pb::TimelineEntry entry =
      RetryEntry(3, 5, "slack", std::string(600, 'x'), {"grace", "ops-bot"}, kNow);
  EXPECT_EQ(entry.incident_id(), 3);
  EXPECT_EQ(FromTimestamp(entry.time()), kNow);
  EXPECT_EQ(entry.kind(), "delivery");
  EXPECT_EQ(entry.actor(), "grace");
  EXPECT_EQ(entry.via(), "ops-bot");
  EXPECT_EQ(entry.text(), "Retried the slack notification (delivery 5), which had failed: " +
                              std::string(500, 'x'));
  EXPECT_EQ(RetryNote(5, "slack", ""), "Retried the slack notification (delivery 5)");
}

}  // namespace
}  // namespace ff
