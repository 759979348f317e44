// Calendar notifier: plans the postmortem meeting with every attendee when an
// incident reaches POSTMORTEM, in Google Calendar or, when no calendar API is
// configured, as an RFC 5545 .ics invitation file (EXTERNAL_APIS.md §6).
//
// When: the first meeting_hour_utc:00 UTC on a weekday at least
// meeting_delay_hours after the incident reached POSTMORTEM (its
// postmortem_at, so every retry plans the same slot); see PlanMeetingStart.
// Who: the participants that look like email addresses.
//
// Google Calendar: events.insert with a client-chosen event id derived from
// the installation and the incident ("ff<installation id>pm<id>", base32hex),
// carrying extendedProperties.private {"firefighterInstallation": <inst>,
// "firefighterIncident": "<id>"}, so a redelivery gets 409 and reads the
// existing event instead of inviting everyone twice; that event is adopted
// only when its private properties are ours (FAILED_PRECONDITION otherwise,
// nothing changed). Another FireFighter sharing the calendar uses other ids.
// Invites are sent (sendUpdates=all). Link url = the event's htmlLink.
// ICS: "<ics_dir>/incident-<id>-postmortem-<inst>.ics", replaced atomically,
// UID "incident-<id>-postmortem-<inst>@<organizer domain>"; link url =
// ics_base_url + "/" + file name, or a file:// URL of the path.
// Stored as link kind "postmortem_meeting" (external_id = event id or UID).
// An incident that already links a "postmortem_meeting" (e.g. one placed
// before markers, "firefighterpm<id>") keeps it: nothing is placed again.
//
// Config ("notifiers.calendar"), exactly one of the two back ends:
//   calendar_id + token_env   Google Calendar (token_env names the variable
//                             holding an OAuth access token)
//   base_url                  default "https://www.googleapis.com"
//   ics_dir                   existing directory for .ics files
//   ics_base_url              optional URL under which ics_dir is served
//   organizer_email           ORGANIZER of .ics invitations, default
//                             "firefighter@localhost"
//   meeting_delay_hours       default 48 (0..720)
//   meeting_hour_utc          default 14 (0..23)
//   duration_minutes          default 60 (5..480)
//   timeout_ms                default 10000
// The Google Calendar calls themselves are clients/google_calendar.
// Thread-safe (the .ics file of one incident is only written by that
// incident's deliveries, which the dispatcher runs in order).
#ifndef FF_SERVER_NOTIFIERS_CALENDAR_CALENDAR_NOTIFIER_H_
#define FF_SERVER_NOTIFIERS_CALENDAR_CALENDAR_NOTIFIER_H_

#include <memory>

#include "server/notifiers/notifier.h"

namespace ff {

// MakeCalendarNotifierFactory returns the factory named "calendar". Create
// fails with INTERNAL "notifiers.calendar: no installation id" when the
// environment lacks one (or INTERNAL when it is not lower-case hex).
std::unique_ptr<NotifierFactory> MakeCalendarNotifierFactory();

}  // namespace ff

#endif  // FF_SERVER_NOTIFIERS_CALENDAR_CALENDAR_NOTIFIER_H_
