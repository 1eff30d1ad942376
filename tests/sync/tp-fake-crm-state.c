/* tp-fake-crm-state.c: the fake CRM's settings, and what the tests read back from it. */
#include "tp-fake-crm-private.h"

guint16
tp_fake_crm_get_port (TpFakeCrm *self)
{
  return self->port;
}

char *
tp_fake_crm_get_url (TpFakeCrm  *self,
                     const char *target)
{
  if (g_strcmp0 (target, "webhook") == 0)
    return g_strdup_printf ("http://127.0.0.1:%u/webhook", self->port);
  return g_strdup_printf ("http://127.0.0.1:%u", self->port);
}

void
tp_fake_crm_set_token (TpFakeCrm  *self,
                       const char *token)
{
  g_mutex_lock (&self->lock);
  g_free (self->token);
  self->token = g_strdup (token);
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_set_faults (TpFakeCrm *self,
                        double     rate,
                        guint      kinds,
                        guint32    seed)
{
  g_mutex_lock (&self->lock);
  self->fault_rate = rate;
  self->fault_kinds = kinds;
  g_rand_set_seed (self->rand, seed);
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_force_fault (TpFakeCrm   *self,
                         TpFakeFault  fault,
                         guint        n)
{
  g_mutex_lock (&self->lock);
  self->forced = fault;
  self->forced_count = n;
  g_mutex_unlock (&self->lock);
}

#define SET_UNDER_LOCK(field, value) \
  G_STMT_START { g_mutex_lock (&self->lock); self->field = (value); g_mutex_unlock (&self->lock); } G_STMT_END

void
tp_fake_crm_set_retry_after (TpFakeCrm *self,
                             guint      seconds)
{
  SET_UNDER_LOCK (retry_after, seconds);
}

void
tp_fake_crm_set_stall_ms (TpFakeCrm *self,
                          guint      ms)
{
  SET_UNDER_LOCK (stall_ms, ms);
}

void
tp_fake_crm_set_latency_ms (TpFakeCrm *self,
                            guint      ms)
{
  tp_fake_crm_set_latency_range (self, ms, ms);
}

void
tp_fake_crm_set_latency_range (TpFakeCrm *self,
                               guint      min_ms,
                               guint      max_ms)
{
  g_mutex_lock (&self->lock);
  self->latency_min_ms = min_ms;
  self->latency_max_ms = MAX (min_ms, max_ms);
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_set_rate_limit (TpFakeCrm *self,
                            guint      max,
                            guint      interval_ms,
                            guint      flags)
{
  g_mutex_lock (&self->lock);
  self->limit_max = max;
  self->limit_interval_ms = interval_ms;
  self->limit_flags = flags;
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_set_daily_limit (TpFakeCrm *self,
                             guint      max)
{
  SET_UNDER_LOCK (daily_max, max);
}

void
tp_fake_crm_set_api_usage (TpFakeCrm *self,
                           guint      used,
                           guint      max)
{
  g_mutex_lock (&self->lock);
  self->api_used = used;
  self->api_max = max;
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_set_hubspot_echo (TpFakeCrm *self,
                              gboolean   properties,
                              gboolean   trace_ids)
{
  g_mutex_lock (&self->lock);
  self->echo_properties = properties;
  self->echo_trace_ids = trace_ids;
  g_mutex_unlock (&self->lock);
}

void
tp_fake_crm_set_duplicate_rule (TpFakeCrm           *self,
                                TpFakeDuplicateRule  rule)
{
  SET_UNDER_LOCK (duplicates, rule);
}

char *
tp_fake_crm_add_salesforce_lead (TpFakeCrm  *self,
                                 const char *email)
{
  JsonObject *lead = json_object_new ();
  char *id;

  json_object_set_string_member (lead, "Email", email);
  json_object_set_string_member (lead, "LastName", "Made by hand");
  g_mutex_lock (&self->lock);
  id = g_strdup_printf ("00Q%012u", ++self->next_id);
  tp_fake_salesforce_add_lead (self, id, lead);
  g_mutex_unlock (&self->lock);
  json_object_unref (lead);
  return id;
}

void
tp_fake_crm_drop_on_reuse (TpFakeCrm *self,
                           guint      n)
{
  SET_UNDER_LOCK (drop_on_reuse, n);
}

void
tp_fake_crm_set_keep_bodies (TpFakeCrm *self,
                             gboolean   keep)
{
  SET_UNDER_LOCK (keep_bodies, keep);
}

GPtrArray *
tp_fake_crm_take_bodies (TpFakeCrm *self)
{
  GPtrArray *bodies;

  g_mutex_lock (&self->lock);
  bodies = self->bodies;
  self->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_mutex_unlock (&self->lock);
  return bodies;
}

void
tp_fake_crm_reset (TpFakeCrm *self)
{
  g_mutex_lock (&self->lock);
  g_hash_table_remove_all (self->records);
  g_hash_table_remove_all (self->stores);
  g_hash_table_remove_all (self->deletes);
  g_hash_table_remove_all (self->idempotency);
  g_hash_table_remove_all (self->contacts);
  g_hash_table_remove_all (self->by_email);
  g_hash_table_remove_all (self->by_lead);
  g_hash_table_remove_all (self->sf_ids);
  g_hash_table_remove_all (self->sf_leads);
  g_hash_table_remove_all (self->sf_by_email);
  g_queue_clear_full (&self->arrivals, g_free);
  g_queue_init (&self->arrivals);
  self->daily_used = 0;
  self->n_requests = 0;
  self->n_faults = 0;
  self->n_rate_limited = 0;
  g_mutex_unlock (&self->lock);
}

static guint
lookup_count (TpFakeCrm  *self,
              GHashTable *table,
              const char *key)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
  g_mutex_unlock (&self->lock);
  return n;
}

guint
tp_fake_crm_count_stores (TpFakeCrm  *self,
                          const char *key)
{
  return lookup_count (self, self->stores, key);
}

guint
tp_fake_crm_count_deletes (TpFakeCrm  *self,
                           const char *key)
{
  return lookup_count (self, self->deletes, key);
}

guint
tp_fake_crm_n_records (TpFakeCrm *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = g_hash_table_size (self->contacts) ? g_hash_table_size (self->contacts) : g_hash_table_size (self->records);
  g_mutex_unlock (&self->lock);
  return n;
}

guint
tp_fake_crm_n_duplicates (TpFakeCrm *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->stores);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (GPOINTER_TO_UINT (value) > 1)
      n++;
  g_mutex_unlock (&self->lock);
  return n;
}

#define GET_UNDER_LOCK(field) \
  G_STMT_START { guint n_; g_mutex_lock (&self->lock); n_ = self->field; g_mutex_unlock (&self->lock); return n_; } G_STMT_END

guint
tp_fake_crm_n_requests (TpFakeCrm *self)
{
  GET_UNDER_LOCK (n_requests);
}

guint
tp_fake_crm_n_faults (TpFakeCrm *self)
{
  GET_UNDER_LOCK (n_faults);
}

guint
tp_fake_crm_n_rate_limited (TpFakeCrm *self)
{
  GET_UNDER_LOCK (n_rate_limited);
}

guint
tp_fake_crm_n_connections (TpFakeCrm *self)
{
  GET_UNDER_LOCK (n_connections);
}

guint
tp_fake_crm_max_concurrent (TpFakeCrm *self)
{
  GET_UNDER_LOCK (max_in_air);
}

JsonObject *
tp_fake_crm_get_record (TpFakeCrm  *self,
                        const char *key)
{
  JsonObject *obj;

  g_mutex_lock (&self->lock);
  obj = g_hash_table_lookup (self->records, key);
  if (obj)
    json_object_ref (obj);
  g_mutex_unlock (&self->lock);
  return obj;
}

char *
tp_fake_crm_last_header (TpFakeCrm  *self,
                         const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  char *value;

  g_mutex_lock (&self->lock);
  value = g_strdup (g_hash_table_lookup (self->last_headers, lower));
  g_mutex_unlock (&self->lock);
  return value;
}

GBytes *
tp_fake_crm_last_body (TpFakeCrm *self)
{
  GBytes *body;

  g_mutex_lock (&self->lock);
  body = self->last_body ? g_bytes_ref (self->last_body) : NULL;
  g_mutex_unlock (&self->lock);
  return body;
}
