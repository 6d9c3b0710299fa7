#include "service/feed_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "plan/loader.h"
#include "service/makeup_offers.h"
#include "service/meeting_invitations.h"
#include "service/registration_allocation.h"
#include "service/registration_mail_delivery.h"
#include "service/reminders.h"
#include "store/attendance_registers.h"
#include "store/link_key.h"

namespace plancal {

namespace {

feed::CatalogSettings catalog_settings(const FeedConfig& feeds) {
  feed::CatalogSettings settings;
  settings.refresh_minutes = feeds.refresh_minutes;
  settings.preparation_alarm = feeds.preparation_alarm;
  if (feeds.keep_cancelled_days > 0) {
    settings.selection.keep_cancelled_days = feeds.keep_cancelled_days;
  }
  return settings;
}

web::AttendanceWebSettings attendance_settings(const Config& config) {
  web::AttendanceWebSettings settings;
  settings.admins = config.attendance.admins;
  settings.idle_seconds = std::int64_t{config.attendance.session_idle_hours} * 3600;
  settings.retention_years = config.attendance.retention_years;
  settings.public_url = config.feeds.public_url;
  return settings;
}

/// Sign-in mails leave by the `smtp:` path, one connection per mail (they are rare).
std::function<mail::SendResult(const mail::MailMessage&)> sign_in_mailer(const Config& config) {
  if (!config.smtp) return {};
  const mail::Mailbox from{config.smtp->from_name, config.smtp->from_address};
  const std::string domain = config.reminders.message_id_domain;
  return [config, from, domain](const mail::MailMessage& message) -> mail::SendResult {
    auto sender = make_mail_sender(config);
    if (!sender) return mail::SendError{mail::FailureKind::Temporary, 0, sender.error().message};
    mail::MailMessage out = message;
    out.from = from;
    if (const auto at = out.message_id.find('@'); at != std::string::npos) {
      out.message_id = out.message_id.substr(0, at + 1) + domain + ">";
    }
    return (*sender)->send(out);
  };
}

/// Hands a mail to the outbox and answers at once; unset without an outbox.
std::function<mail::SendResult(const mail::MailMessage&)> outbox_sender(MailOutbox* outbox) {
  if (outbox == nullptr) return {};
  return [outbox](const mail::MailMessage& message) -> mail::SendResult {
    outbox->post(message);
    return Ok{};
  };
}

/// The key sign-up links are derived from; without it the sign-up pages take no posts (the
/// warning says why, once, at start-up).
Secret signup_link_key(const StateDatabase& database) {
  auto key = load_or_create_link_key(database.path());
  if (!key) {
    spdlog::warn("sign-up pages take no registrations: {}", key.error().message);
    return Secret();
  }
  return *key;
}

/// The sender of sign-up mails, or null without an smtp section (mails then wait, planned,
/// for a process that has one).
std::unique_ptr<mail::MailSender> signup_mail_sender(const Config& config) {
  if (!config.smtp) return nullptr;
  auto sender = make_mail_sender(config);
  if (!sender) {
    spdlog::warn("sign-up mails wait in the database: {}", sender.error().message);
    return nullptr;
  }
  return std::move(*sender);
}

}  // namespace

void PlanSet::reload(const Config& config) { reload(config, PublishReport{}); }

void PlanSet::reload(const Config& config, const PublishReport& published) {
  std::vector<std::string> order;
  for (std::size_t i = 0; i < config.plan_files.size(); ++i) {
    const auto& file = config.plan_files[i];
    if (i < published.plans.size() && published.plans[i].plan_file == file &&
        published.plans[i].plan) {
      keep(published.plans[i].plan, order);
      continue;
    }
    PlanLoad load = load_plan_file(file);
    if (!load.plan) {
      spdlog::warn("{}: not loaded; feeds keep its previous version", file);
      continue;
    }
    keep(std::make_shared<const Plan>(std::move(*load.plan)), order);
  }
  for (const auto& id : order_) {  // plans kept from before, in their old order
    if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
  }
  order_ = std::move(order);
}

void PlanSet::keep(std::shared_ptr<const Plan> plan, std::vector<std::string>& order) {
  order.push_back(plan->id);
  plans_.insert_or_assign(plan->id, std::move(plan));
}

std::vector<const Plan*> PlanSet::all() const {
  std::vector<const Plan*> plans;
  plans.reserve(order_.size());
  for (const auto& id : order_) plans.push_back(plans_.at(id).get());
  return plans;
}

std::vector<std::shared_ptr<const Plan>> PlanSet::shared() const {
  std::vector<std::shared_ptr<const Plan>> plans;
  plans.reserve(order_.size());
  for (const auto& id : order_) plans.push_back(plans_.at(id));
  return plans;
}

FeedService::FeedService(Config config, StateDatabase database, StateDatabase request_database,
                         const Clock& clock, std::function<void()> wake)
    : clock_(clock),
      config_(std::move(config)),
      database_(std::move(database)),
      published_(database_),
      runtime_(database_, request_database, catalog_settings(config_.feeds), wake),
      pages_(web::PageDependencies{
          .resolve_token =
              [this](std::string_view secret) { return runtime_.resolve_token(secret); },
          .look_up_token =
              [this](std::string_view secret) { return runtime_.look_up_token(secret); },
          .note_access = [this](std::int64_t token_id,
                                std::int64_t now) { runtime_.note_page_access(token_id, now); },
          .request_rebuild = [this] { runtime_.request_rebuild(); },
          .now = [this] { return clock_.now_unix(); },
          .render_threads = 2,  // as the feed catalog's (feed_runtime.h)
      }),
      sign_in_outbox_(config_.smtp ? std::make_unique<MailOutbox>(sign_in_mailer(config_))
                                   : nullptr),
      attendance_(std::make_unique<web::AttendanceRoutes>(
          attendance_settings(config_), request_database,
          web::AttendanceWebDependencies{
              .source =
                  [this] {
                    const std::lock_guard lock(page_source_mutex_);
                    return page_source_;
                  },
              .send_mail = outbox_sender(sign_in_outbox_.get()),
              .now = [this] { return clock_.now_unix(); },
              .makeups_changed =
                  [this] {
                    if (!publish_requested_.exchange(true) && wake_) wake_();
                  },
          })),
      request_database_(request_database),
      signup_key_(signup_link_key(database_)),
      signup_mail_config_(std::make_shared<const Config>(config_)),
      signup_sender_(signup_mail_sender(config_)),
      signup_(web::SignupDependencies{
          .plans = [this] { return signup_plans(); },
          .database = request_database,
          .link_key = signup_key_,
          .now = [this] { return clock_.now_unix(); },
          .message_id_domain = config_.reminders.message_id_domain,
          .registrations_changed = [this] { settle_signup(); },
          .mail_planned = [this] { send_signup_mails(); },
          .posts_per_window = config_.signup.posts_per_window,
          .window_seconds = std::int64_t{config_.signup.window_minutes} * 60,
          .secure_cookie = config_.feeds.public_url.starts_with("https://"),
      }),
      router_(runtime_.handler(), feed::kMaxPathLength),
      wake_(std::move(wake)) {
  router_.add_prefix("/feeds/", runtime_.handler());
  router_.add_exact("/healthz", runtime_.handler());
  router_.add_exact("/metrics", runtime_.handler());
  router_.add_prefix(std::string(web::kPersonalPagePrefix), pages_);
  router_.add_prefix("/static/", pages_);
  router_.add_prefix("/logg-inn", *attendance_);
  router_.add_exact("/logg-ut", *attendance_);
  router_.add_prefix("/oppmote", *attendance_);
  router_.add_prefix(std::string(web::kSignupPrefix), signup_);
}

std::vector<std::shared_ptr<const Plan>> FeedService::signup_plans() const {
  std::lock_guard lock(signup_plans_mutex_);
  return signup_plans_;
}

void FeedService::settle_signup() {
  const auto plans = signup_plans();
  std::vector<const Plan*> pointers;
  for (const auto& plan : plans) pointers.push_back(plan.get());
  auto changed = settle_closed_registrations(*signup_mail_config_, pointers, request_database_,
                                             clock_.now_unix());
  if (!changed) {
    spdlog::error("sign-up: the allocation was not stored: {}", changed.error().message);
    return;
  }
  if (*changed == 0) return;
  // Whoever was placed gets the row's meetings as invitations (and whoever left, CANCELs);
  // send_signup_mails sends them with the placement mails.
  auto planned = plan_meeting_invitations_from_files(*signup_mail_config_, request_database_,
                                                     clock_.now_unix());
  if (!planned) {
    spdlog::error("meeting invitations were not planned: {}", planned.error().message);
  }
}

void FeedService::send_signup_mails() {
  if (!signup_sender_) return;
  const auto plans = signup_plans();
  std::vector<const Plan*> pointers;
  for (const auto& plan : plans) pointers.push_back(plan.get());
  std::lock_guard lock(signup_mail_mutex_);
  const auto report = send_due_registration_mails(*signup_mail_config_, request_database_, pointers,
                                                  signup_key_, clock_, *signup_sender_);
  for (const auto& problem : report.problems) spdlog::error("sign-up mails: {}", problem);
  // Meeting invitations planned by an allocation on the page (or earlier by a publish) leave
  // here too, so an organisation placed while only `plancal serve` runs gets them; the
  // daemon's mail job sends the same queue, and each mail is claimed once.
  const auto meetings = send_due_meeting_invitations(*signup_mail_config_, request_database_,
                                                     clock_, *signup_sender_);
  for (const auto& problem : meetings.problems) spdlog::error("meeting invitations: {}", problem);
}

PublishReport FeedService::publish_and_rebuild() {
  PublishReport report = publish_all(config_, published_, clock_);
  log_publish_report(report);
  plans_.reload(config_, report);
  static_cast<void>(rebuild_feeds_and_pages());  // a held read is logged and shown by /healthz
  return report;
}

/// The publish id is read before the events: a publish that lands while the feeds are built
/// changes it again, so the next tick builds once more.
bool FeedService::rebuild_feeds_and_pages() {
  built_publish_id_ = published_.last_publish_id();
  const auto report = runtime_.rebuild(plans_.all(), clock_.now_unix());
  if (report.held) return false;  // a failed read leaves the pages as they were, too
  update_pages();
  return true;
}

void FeedService::rebuild() {
  if (rebuild_feeds_and_pages()) runtime_.release_memory();  // the previous feeds and pages
}

void FeedService::update_pages() {
  auto offers = read_offers(AttendanceRegisters(database_).last_change_id());
  update_pages(offers ? std::move(*offers) : makeup_offers_);  // a failed read keeps them
}

void FeedService::update_pages(web::MakeupOffers offers) {
  const auto read = runtime_.last_read();
  if (!read) return;
  makeup_offers_ = offers;
  web::PageState state;
  state.source = std::make_shared<const web::PublishedPageSource>(
      plans_.shared(), read->events_by_plan, std::move(offers));
  state.tokens = read->tokens;
  state.public_url = config_.feeds.public_url;
  {
    const std::lock_guard lock(page_source_mutex_);
    page_source_ = state.source;
  }
  pages_.update(std::move(state));
  std::lock_guard lock(signup_plans_mutex_);
  signup_plans_ = plans_.shared();
}

std::optional<web::MakeupOffers> FeedService::read_offers(const Result<std::int64_t>& change) {
  const auto read = runtime_.last_read();
  if (!read) return web::MakeupOffers{};
  auto offers =
      read_makeup_offers(database_, plans_.shared(), read->events_by_plan, clock_.now_unix());
  if (!offers) {
    spdlog::error(
        "the make-up dates for the personal pages were not read (they keep the ones "
        "they had): {}",
        offers.error().message);
    return std::nullopt;
  }
  if (change) offers_read_at_change_ = *change;
  return std::move(*offers);
}

/// Only after the registers changed: another connection's write is most often a sync's or a
/// mail's, and reading the offers is a query per plan.
void FeedService::refresh_makeup_offers() {
  if (!runtime_.last_read()) return;
  const auto change = AttendanceRegisters(database_).last_change_id();
  if (change && *change == offers_read_at_change_) return;
  auto offers = read_offers(change);
  if (!offers || *offers == makeup_offers_) return;
  spdlog::info("the make-up dates offered on personal pages changed: rendering the pages again");
  update_pages(std::move(*offers));
}

void FeedService::tick() {
  runtime_.flush_access();
  const auto change = runtime_.next_change();
  const bool written = written_elsewhere();
  if ((written && feeds_changed_elsewhere()) || runtime_.take_rebuild_request() ||
      (change && clock_.now_unix() >= *change)) {
    rebuild();
  } else if (written) {
    refresh_makeup_offers();
  }
}

/// PRAGMA data_version answers this for free: it changes only after some other connection
/// committed (the server threads' registers and sign-ups, the daemon's jobs, other
/// processes). When it cannot be read, look anyway.
bool FeedService::written_elsewhere() {
  const auto version = database_.data_version();
  if (version && *version == seen_data_version_) return false;
  if (version) seen_data_version_ = *version;
  return true;
}

bool FeedService::feeds_changed_elsewhere() {
  if (published_.last_publish_id() != built_publish_id_) {
    spdlog::info("the plans were published by another process: rebuilding the feeds");
    plans_.reload(config_);
    return true;
  }
  return runtime_.tokens_changed();
}

void FeedService::adopt_config(Config next) {
  if (next.database != config_.database) {
    spdlog::warn("{}: the database changed to {}; restart plancal to use it", next.file,
                 next.database);
    next.database = config_.database;
  }
  if (next.feeds.listen != config_.feeds.listen) {
    spdlog::warn("{}: feeds.listen changed to {}; restart plancal to listen there", next.file,
                 next.feeds.listen);
  }
  config_ = std::move(next);
  attendance_->adopt_settings(attendance_settings(config_));
  signup_.adopt_rate_limit(config_.signup.posts_per_window,
                           std::int64_t{config_.signup.window_minutes} * 60);
}

Result<httpd::ServerOptions> listen_options(const Config& config,
                                            const std::string& listen_override) {
  const std::string& listen = listen_override.empty() ? config.feeds.listen : listen_override;
  return httpd::parse_listen_address(listen);
}

std::string listen_url(const httpd::HttpServer& server) {
  const std::string& address = server.address();
  const std::string host = address.find(':') != std::string::npos ? "[" + address + "]" : address;
  return "http://" + host + ":" + std::to_string(server.port());
}

}  // namespace plancal
