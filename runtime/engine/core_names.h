// The engine's vocabulary comes from core/ (the leaf library it shares with
// the backends); these declarations let the engine's code keep naming it
// unqualified, as when it lived here.
#pragma once

#include "core/channels.h"
#include "core/event.h"
#include "core/value.h"

namespace questline::engine {

using core::Event;
using core::EventSchema;
using core::EventType;
using core::FieldSchema;
using core::kChannelCount;
using core::kChannelNames;
using core::kDecimalDigits;
using core::kDecimalScale;
using core::kFieldId;
using core::kFieldTs;
using core::kFieldUser;
using core::SaturatingAdd;
using core::SaturatingMul;
using core::Value;
using core::ValueKind;

}  // namespace questline::engine
