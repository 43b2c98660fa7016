// Every mechanic's module, for the registry (mechanics.def) to name.
#pragma once

#include "runtime/engine/mechanics/badges.h"
#include "runtime/engine/mechanics/bandits.h"
#include "runtime/engine/mechanics/competitions.h"
#include "runtime/engine/mechanics/flows.h"
#include "runtime/engine/mechanics/levels.h"
#include "runtime/engine/mechanics/metrics.h"
#include "runtime/engine/mechanics/minigames.h"
#include "runtime/engine/mechanics/missions.h"
#include "runtime/engine/mechanics/policies.h"
#include "runtime/engine/mechanics/profile.h"
#include "runtime/engine/mechanics/raffles.h"
#include "runtime/engine/mechanics/rules.h"
#include "runtime/engine/mechanics/segments.h"
#include "runtime/engine/mechanics/store.h"
#include "runtime/engine/mechanics/wallet.h"
