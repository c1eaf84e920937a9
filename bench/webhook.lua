-- wrk script for bench/webhook.sh: POSTs pre-signed, distinct VMEG webhook events (lines "ts<TAB>sig<TAB>body"
-- of the file given as first argument; HMAC-SHA256 cannot be computed in wrk's Lua). Each wrk thread takes
-- every n-th line (n = second argument, the thread count), so no two requests carry the same event.
local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local requests = {}
local next_request = 0

function init(args)
   local n, every = 0, tonumber(args[2])
   for line in io.lines(args[1]) do
      if n % every == id then
         local ts, sig, body = line:match("^(%d+)\t(%x+)\t(.*)$")
         requests[#requests + 1] = wrk.format("POST", "/webhooks/vmeg",
            { ["Content-Type"] = "application/json", ["X-Timestamp"] = ts, ["X-Signature"] = sig }, body)
      end
      n = n + 1
   end
   size = #requests
end

-- globals, so that done() can read them from each thread: requests made, and the thread's distinct events
sent = 0
size = 0

function request()
   sent = sent + 1
   next_request = next_request % #requests + 1
   return requests[next_request]
end

-- a thread that ran through its events starts over: the repeats are not distinct events (webhook.sh's row check)
function done(summary, latency, requests)
   local repeats = 0
   for _, t in ipairs(threads) do
      repeats = repeats + math.max(0, t:get("sent") - t:get("size"))
   end
   io.write(string.format("repeated requests: %d\n", repeats))
end
