'use client'

import { useCallback, useEffect, useRef, useState } from 'react'
import { io, type Socket } from 'socket.io-client'
import { roomName, SERVER_RESTARTING, socketEvents, type FlagEvent, type Heartbeat, type RoomUpdate, type SubscribeAck, type ThemeId } from '../../dashboards/types'
import { SOCKETS_FULL, type ClientToServerEvents, type RoomRequest, type ServerToClientEvents, type SocketsFullRefusal } from '../../dashboards/liveContract'
import { applyHeartbeat, applyUpdate, fromSnapshot, type RoomState } from '../lib/roomState'

/**
 * The page's one Socket.IO connection (same origin) and its room subscriptions.
 * Token: `?token=` of a wall screen, else the session cookie the browser sends by itself.
 * 'live' means connected AND holding a snapshot taken after the last (re)connect: the wall-wide
 * banner shows for anything else once we have been live, so a drop is visible at once.
 */
export type Connection = 'connecting' | 'live' | 'disconnected' | 'refused'

/** The page's socket, typed by the one contract the server's gateway implements. */
export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>

export function useSocket(token: string | undefined): LiveSocket | null {
  const [socket, setSocket] = useState<LiveSocket | null>(null)
  useEffect(() => {
    const s: LiveSocket = io({ auth: token ? { token } : {}, transports: ['websocket', 'polling'], reconnectionDelayMax: 5000 })
    let retry: ReturnType<typeof setTimeout> | undefined
    // the server ended the session (e.g. restart): socket.io does not retry that case by itself
    s.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') retry = setTimeout(() => s.connect(), 2000)
    })
    // Nor does it retry a refusal: a full server (its socket cap) says when to come back.
    let fullRefusals = 0
    s.on('connect_error', (error: Error & { data?: Partial<SocketsFullRefusal> }) => {
      if (error.message !== SOCKETS_FULL) return
      clearTimeout(retry)
      retry = setTimeout(() => s.connect(), fullRetryDelay(error.data?.retryAfterMs, fullRefusals++))
    })
    s.on('connect', () => {
      fullRefusals = 0
    })
    setSocket(s)
    return () => {
      clearTimeout(retry)
      s.removeAllListeners()
      s.disconnect()
    }
  }, [token])
  return socket
}

/** After the server's hint, doubling per refusal up to 5 minutes, ±25 % so walls spread out. */
export function fullRetryDelay(retryAfterMs: number | undefined, refusalsBefore: number, random = Math.random): number {
  const base = Math.max(1000, retryAfterMs ?? 10_000)
  return Math.round(Math.min(base * 2 ** refusalsBefore, 300_000) * (0.75 + random() * 0.5))
}

export interface LiveRoom {
  connection: Connection
  room: RoomState | null
  error: string | null
}

export interface LiveRooms {
  /** The room's last state on this page (kept after it is left: it greys as it ages), or null. */
  stateOf(key: RoomRequest): RoomState | null
  /** live = connected and holding a snapshot of this room taken since the last (re)connect. */
  connectionOf(key: RoomRequest): Connection
  errorOf(key: RoomRequest): string | null
}

type Link = 'connecting' | 'up' | 'down' | 'refused'

/**
 * Several rooms on one socket: subscribed while `wanted` names them, their last state kept for
 * the page's life. A wall subscribes to the next theme of its rotation before switching to it, so
 * the switch shows data at once; a theme shown before keeps its numbers (greyed when old).
 */
export function useLiveRooms(socket: LiveSocket | null, wanted: RoomRequest[]): LiveRooms {
  const states = useRef(new Map<string, RoomState>())
  const errors = useRef(new Map<string, string>())
  /** rooms holding a snapshot taken since the last (re)connect */
  const fresh = useRef(new Set<string>())
  const subscribed = useRef(new Map<string, RoomRequest>())
  const [link, setLink] = useState<Link>('connecting')
  const [linkError, setLinkError] = useState<string | null>(null)
  const [, setVersion] = useState(0)
  const changed = useCallback(() => setVersion((v) => v + 1), [])
  const wantedKey = JSON.stringify([...new Map(wanted.map((w) => [roomName(w.dashboard, w.region), [w.dashboard, w.region]])).values()])

  const subscribeOne = useCallback(
    (request: RoomRequest) => {
      if (!socket) return
      const name = roomName(request.dashboard, request.region)
      socket.emit(socketEvents.subscribe, request, (ack: SubscribeAck) => {
        if (!subscribed.current.has(name)) return
        if (!ack || !ack.ok) {
          errors.current.set(name, ack?.error ?? '订阅失败')
          changed()
          return
        }
        if (ack.room !== name) return
        errors.current.delete(name)
        states.current.set(name, fromSnapshot(ack, Date.now()))
        fresh.current.add(name)
        changed()
      })
    },
    [socket, changed],
  )

  // Listeners for every subscribed room, for the socket's life.
  useEffect(() => {
    if (!socket) return
    const onConnect = () => {
      fresh.current.clear()
      setLink('up')
      setLinkError(null)
      for (const request of subscribed.current.values()) subscribeOne(request)
    }
    const onUpdate = (update: RoomUpdate) => {
      const request = subscribed.current.get(update.room)
      const current = states.current.get(update.room)
      if (!request || !current || !fresh.current.has(update.room)) return
      const result = applyUpdate(current, update, Date.now())
      if (result.kind === 'applied') {
        states.current.set(update.room, result.state)
        changed()
      } else if (result.kind === 'gap') subscribeOne(request)
    }
    const onHeartbeat = (beat: Heartbeat) => {
      const now = Date.now()
      for (const [name, request] of subscribed.current) {
        const current = states.current.get(name)
        if (!current || !fresh.current.has(name)) continue
        const next = applyHeartbeat(current, beat.rooms?.[name], now)
        if (next === 'behind') subscribeOne(request)
        else states.current.set(name, next)
      }
      changed()
    }
    const onDisconnect = () => {
      fresh.current.clear()
      setLink('down')
    }
    // A planned stop names itself; the wall keeps showing that reason until it is live again.
    const onClosing = (notice: { reason?: string }) => setLinkError(notice?.reason ?? SERVER_RESTARTING)
    const onConnectError = (err: Error) => {
      // The server is full: the wall says so (and that it retries) whether or not it was live before.
      if (err.message === SOCKETS_FULL) {
        setLinkError(SOCKETS_FULL)
        setLink('down')
        return
      }
      setLinkError((shown) => (shown === SERVER_RESTARTING ? shown : err.message))
      setLink((l) => (l === 'connecting' && /auth|unauthori|token|401|403|sign/i.test(err.message) ? 'refused' : l === 'up' ? 'down' : l))
    }
    socket.on('connect', onConnect)
    socket.on(socketEvents.update, onUpdate)
    socket.on(socketEvents.heartbeat, onHeartbeat)
    socket.on('disconnect', onDisconnect)
    socket.on('connect_error', onConnectError)
    socket.on(socketEvents.closing, onClosing)
    if (socket.connected) setLink('up')
    return () => {
      socket.off('connect', onConnect)
      socket.off(socketEvents.update, onUpdate)
      socket.off(socketEvents.heartbeat, onHeartbeat)
      socket.off('disconnect', onDisconnect)
      socket.off('connect_error', onConnectError)
      socket.off(socketEvents.closing, onClosing)
      // `subscribed` holds one Map for the hook's life (not a rendered node): clearing it is intended.
      // eslint-disable-next-line react-hooks/exhaustive-deps
      subscribed.current.clear()
    }
  }, [socket, subscribeOne, changed])

  // Subscribe to rooms newly wanted, let go of the others (their last state stays).
  useEffect(() => {
    if (!socket) return
    const next = new Map((JSON.parse(wantedKey) as Array<[RoomRequest['dashboard'], string]>).map(([dashboard, region]) => [roomName(dashboard, region), { dashboard, region }]))
    for (const [name, request] of subscribed.current)
      if (!next.has(name)) {
        subscribed.current.delete(name)
        fresh.current.delete(name)
        if (socket.connected) socket.emit(socketEvents.unsubscribe, request)
      }
    for (const [name, request] of next)
      if (!subscribed.current.has(name)) {
        subscribed.current.set(name, request)
        if (socket.connected) subscribeOne(request)
      }
  }, [socket, wantedKey, subscribeOne])

  return {
    stateOf: (key) => states.current.get(roomName(key.dashboard, key.region)) ?? null,
    errorOf: (key) => errors.current.get(roomName(key.dashboard, key.region)) ?? (link === 'up' ? null : linkError),
    connectionOf: (key) => {
      const name = roomName(key.dashboard, key.region)
      if (link === 'refused') return 'refused'
      if (link === 'up' && errors.current.has(name)) return 'refused'
      if (link === 'up' && fresh.current.has(name)) return 'live'
      if (link === 'down' || (link === 'up' && errors.current.has(name))) return 'disconnected'
      return 'connecting'
    },
  }
}

/** One room (review and drill pages); a different theme or region shows nothing of the old one. */
export function useLiveRoom(socket: LiveSocket | null, dashboard: ThemeId, region: string): LiveRoom {
  const key = { dashboard, region }
  const rooms = useLiveRooms(socket, [key])
  return { connection: rooms.connectionOf(key), room: rooms.stateOf(key), error: rooms.errorOf(key) }
}

/** New flags pushed by the server, newest first, kept for a few minutes (ticker and map markers). */
export function useFlags(socket: LiveSocket | null, onFlag?: (flag: FlagEvent) => void, keep = 40): Array<FlagEvent & { receivedAt: number }> {
  const [flags, setFlags] = useState<Array<FlagEvent & { receivedAt: number }>>([])
  const handler = useRef(onFlag)
  handler.current = onFlag
  useEffect(() => {
    if (!socket) return
    const onEvent = (flag: FlagEvent) => {
      setFlags((list) => [{ ...flag, receivedAt: Date.now() }, ...list].slice(0, keep))
      handler.current?.(flag)
    }
    socket.on(socketEvents.flag, onEvent)
    return () => {
      socket.off(socketEvents.flag, onEvent)
    }
  }, [socket, keep])
  return flags
}

/** A clock that ticks every `ms` (freshness, title bar); one interval, cleared on unmount. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [ms])
  return now
}
